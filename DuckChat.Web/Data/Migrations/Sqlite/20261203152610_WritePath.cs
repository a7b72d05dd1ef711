using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DuckChat.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WritePath : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every inserted message moves its chat's LastSeq (and last activity) and its sender's read position,
            // so a send is one statement (Chats/Writing/WriteStatements.cs).
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_Appended" AFTER INSERT ON "Messages"
                BEGIN
                    UPDATE "Chats" SET "LastSeq" = NEW."Seq", "LastMessageAt" = NEW."SentAt"
                    WHERE "Id" = NEW."ChatId" AND "LastSeq" < NEW."Seq";
                    UPDATE "ChatMembers" SET "LastReadSeq" = NEW."Seq"
                    WHERE "ChatId" = NEW."ChatId" AND "UserId" = NEW."SenderId" AND "LastReadSeq" < NEW."Seq";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Messages_Appended";""");
        }
    }
}
