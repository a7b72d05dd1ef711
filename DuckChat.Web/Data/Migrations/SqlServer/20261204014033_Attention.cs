using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DuckChat.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Attention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AboutFrom",
                table: "QueuedMails",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AboutUntil",
                table: "QueuedMails",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Mute",
                table: "ChatMembers",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "AppearOffline",
                table: "AspNetUsers",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "MissedMailAt",
                table: "AspNetUsers",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MissedMailLinkVersion",
                table: "AspNetUsers",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "MissedMailOff",
                table: "AspNetUsers",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Notify",
                table: "AspNetUsers",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "MessageMentions",
                columns: table => new
                {
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    ChatId = table.Column<int>(type: "int", nullable: false),
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessageMentions", x => new { x.MessageId, x.UserId });
                    table.ForeignKey(
                        name: "FK_MessageMentions_Messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "Messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MessageMentions_UserId_ChatId_Seq",
                table: "MessageMentions",
                columns: new[] { "UserId", "ChatId", "Seq" });

            migrationBuilder.CreateIndex(
                name: "IX_MessageMentions_UserId_MessageId",
                table: "MessageMentions",
                columns: new[] { "UserId", "MessageId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MessageMentions");

            migrationBuilder.DropColumn(
                name: "AboutFrom",
                table: "QueuedMails");

            migrationBuilder.DropColumn(
                name: "AboutUntil",
                table: "QueuedMails");

            migrationBuilder.DropColumn(
                name: "Mute",
                table: "ChatMembers");

            migrationBuilder.DropColumn(
                name: "AppearOffline",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "MissedMailAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "MissedMailLinkVersion",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "MissedMailOff",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Notify",
                table: "AspNetUsers");
        }
    }
}
