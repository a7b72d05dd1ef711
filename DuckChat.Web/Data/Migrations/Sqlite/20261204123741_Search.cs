using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DuckChat.Web.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            // The index of SearchText (Search/SearchIndex.cs): FTS5 over three-character runs, ignoring case and
            // accents, storing no copy of the text (external content). Only rows with a SearchText are in it; the
            // triggers keep it in step with every insert, change of SearchText and delete. Existing messages are
            // given their SearchText, and so their entries, by the start-up backfill (Search/SearchIndexBackfill.cs).
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "MessageSearch" USING fts5(
                    "SearchText", content='Messages', content_rowid='Id', tokenize='trigram remove_diacritics 1', detail=full);
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_SearchInserted" AFTER INSERT ON "Messages" WHEN NEW."SearchText" IS NOT NULL
                BEGIN
                    INSERT INTO "MessageSearch" (rowid, "SearchText") VALUES (NEW."Id", NEW."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_SearchUpdated" AFTER UPDATE OF "SearchText" ON "Messages"
                BEGIN
                    INSERT INTO "MessageSearch" ("MessageSearch", rowid, "SearchText")
                    SELECT 'delete', OLD."Id", OLD."SearchText" WHERE OLD."SearchText" IS NOT NULL;
                    INSERT INTO "MessageSearch" (rowid, "SearchText")
                    SELECT NEW."Id", NEW."SearchText" WHERE NEW."SearchText" IS NOT NULL;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_SearchDeleted" AFTER DELETE ON "Messages" WHEN OLD."SearchText" IS NOT NULL
                BEGIN
                    INSERT INTO "MessageSearch" ("MessageSearch", rowid, "SearchText") VALUES ('delete', OLD."Id", OLD."SearchText");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Messages_SearchDeleted";""");
            migrationBuilder.Sql("""DROP TRIGGER "Messages_SearchUpdated";""");
            migrationBuilder.Sql("""DROP TRIGGER "Messages_SearchInserted";""");
            migrationBuilder.Sql("""DROP TABLE "MessageSearch";""");
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Messages");
        }
    }
}
