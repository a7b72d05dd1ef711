using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DuckChat.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchIndexInBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // New messages enter the search index in batches (Search/SearchIndexer.cs) instead of one by one in the
            // transaction that saves each: FTS5 writes a segment per transaction, so one per message made every send
            // pay for segment writes and merges. SearchIndexState holds the highest message Id the index is complete
            // through; the index holds every message at or below it exactly as its SearchText is now, and none above.
            // The triggers keep that true for the rows at or below it; the indexer adds the rows above it. Until now
            // the index held every message, so it starts complete through the newest.
            migrationBuilder.Sql("""
                CREATE TABLE "SearchIndexState" (
                    "Id" INTEGER NOT NULL PRIMARY KEY CHECK ("Id" = 1),
                    "IndexedThrough" INTEGER NOT NULL);
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndexState" ("Id", "IndexedThrough") SELECT 1, COALESCE(MAX("Id"), 0) FROM "Messages";
                """);
            migrationBuilder.Sql("""DROP TRIGGER "Messages_SearchInserted";""");
            migrationBuilder.Sql("""DROP TRIGGER "Messages_SearchUpdated";""");
            migrationBuilder.Sql("""DROP TRIGGER "Messages_SearchDeleted";""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_SearchUpdated" AFTER UPDATE OF "SearchText" ON "Messages"
                WHEN OLD."Id" <= (SELECT "IndexedThrough" FROM "SearchIndexState")
                BEGIN
                    INSERT INTO "MessageSearch" ("MessageSearch", rowid, "SearchText")
                    SELECT 'delete', OLD."Id", OLD."SearchText" WHERE OLD."SearchText" IS NOT NULL;
                    INSERT INTO "MessageSearch" (rowid, "SearchText")
                    SELECT NEW."Id", NEW."SearchText" WHERE NEW."SearchText" IS NOT NULL;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_SearchDeleted" AFTER DELETE ON "Messages"
                WHEN OLD."SearchText" IS NOT NULL AND OLD."Id" <= (SELECT "IndexedThrough" FROM "SearchIndexState")
                BEGIN
                    INSERT INTO "MessageSearch" ("MessageSearch", rowid, "SearchText") VALUES ('delete', OLD."Id", OLD."SearchText");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to indexing each message as it is saved: first the messages the indexer had not reached yet.
            migrationBuilder.Sql("""
                INSERT INTO "MessageSearch" (rowid, "SearchText")
                SELECT "Id", "SearchText" FROM "Messages"
                WHERE "SearchText" IS NOT NULL AND "Id" > (SELECT "IndexedThrough" FROM "SearchIndexState");
                """);
            migrationBuilder.Sql("""DROP TRIGGER "Messages_SearchDeleted";""");
            migrationBuilder.Sql("""DROP TRIGGER "Messages_SearchUpdated";""");
            migrationBuilder.Sql("""DROP TABLE "SearchIndexState";""");
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
    }
}
