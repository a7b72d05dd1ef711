using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DuckChat.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageKind : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Kind",
                table: "Messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Messages");
        }
    }
}
