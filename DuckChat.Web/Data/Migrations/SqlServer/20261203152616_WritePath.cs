using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DuckChat.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class WritePath : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every inserted message moves its chat's LastSeq (and last activity) and its sender's read position,
            // so a send is one statement (Chats/Writing/WriteStatements.cs). A statement may insert several rows.
            migrationBuilder.Sql("""
                CREATE TRIGGER [Messages_Appended] ON [Messages] AFTER INSERT AS
                BEGIN
                    SET NOCOUNT ON;
                    UPDATE c SET c.[LastSeq] = i.[Seq], c.[LastMessageAt] = i.[SentAt]
                    FROM [Chats] AS c
                    JOIN (SELECT [ChatId], MAX([Seq]) AS [Seq], MAX([SentAt]) AS [SentAt] FROM inserted GROUP BY [ChatId]) AS i ON i.[ChatId] = c.[Id]
                    WHERE c.[LastSeq] < i.[Seq];
                    UPDATE m SET m.[LastReadSeq] = i.[Seq]
                    FROM [ChatMembers] AS m
                    JOIN (SELECT [ChatId], [SenderId], MAX([Seq]) AS [Seq] FROM inserted GROUP BY [ChatId], [SenderId]) AS i
                        ON i.[ChatId] = m.[ChatId] AND i.[SenderId] = m.[UserId]
                    WHERE m.[LastReadSeq] < i.[Seq];
                END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER [Messages_Appended];");
        }
    }
}
