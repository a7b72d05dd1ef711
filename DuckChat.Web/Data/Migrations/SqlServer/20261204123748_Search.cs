using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DuckChat.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "Messages",
                type: "nvarchar(max)",
                nullable: true,
                collation: "Latin1_General_100_CI_AI");

            // The index of SearchText (Search/SearchIndex.cs): every distinct three-character run of it, lower-cased,
            // with its message. Full-text search matches word prefixes only; these find any part of a word. The
            // collation makes 'É' and 'e' one trigram, as SQLite's index does; queries recheck candidates with LIKE.
            migrationBuilder.Sql("""
                CREATE TABLE [MessageTrigrams] (
                    [Trigram] nchar(3) COLLATE Latin1_General_100_CI_AI NOT NULL,
                    [MessageId] bigint NOT NULL,
                    CONSTRAINT [PK_MessageTrigrams] PRIMARY KEY ([Trigram], [MessageId]));
                CREATE INDEX [IX_MessageTrigrams_MessageId] ON [MessageTrigrams] ([MessageId]);
                """);
            // A statement may change several rows; a message's trigrams are made again whenever its SearchText is set.
            migrationBuilder.Sql("""
                CREATE TRIGGER [Messages_SearchTrigrams] ON [Messages] AFTER INSERT, UPDATE, DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    IF EXISTS (SELECT 1 FROM inserted) AND NOT UPDATE([SearchText]) RETURN;
                    DELETE t FROM [MessageTrigrams] AS t JOIN deleted AS d ON d.[Id] = t.[MessageId];
                    WITH [Digits] AS (SELECT [d] FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS x([d])),
                         [Positions] AS (
                            SELECT a.[d] + 10 * b.[d] + 100 * c.[d] + 1000 * e.[d] + 10000 * f.[d] + 1 AS [n]
                            FROM [Digits] AS a, [Digits] AS b, [Digits] AS c, [Digits] AS e, [Digits] AS f)
                    INSERT INTO [MessageTrigrams] ([Trigram], [MessageId])
                    SELECT DISTINCT CAST(LOWER(SUBSTRING(i.[SearchText], p.[n], 3)) AS nchar(3)) COLLATE Latin1_General_100_CI_AI, i.[Id]
                    FROM inserted AS i
                    JOIN [Positions] AS p ON p.[n] <= LEN(i.[SearchText]) - 2
                    WHERE i.[SearchText] IS NOT NULL;
                END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER [Messages_SearchTrigrams];");
            migrationBuilder.Sql("DROP TABLE [MessageTrigrams];");
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Messages");
        }
    }
}
