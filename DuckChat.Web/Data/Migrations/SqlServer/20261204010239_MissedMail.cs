using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DuckChat.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class MissedMail : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AboutFrom",
                table: "QueuedMails");

            migrationBuilder.DropColumn(
                name: "AboutUntil",
                table: "QueuedMails");

            migrationBuilder.DropColumn(
                name: "MissedMailAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "MissedMailLinkVersion",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "MissedMailOff",
                table: "AspNetUsers");
        }
    }
}
