using System.Data;
using System.Data.Common;
using System.Globalization;
using DuckChat.Web.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace DuckChat.Web.Chats.Writing;

/// <summary>
/// The writer's statements, in each provider's SQL, created once on the writer's own connection and kept, so a
/// send costs its execution and nothing more (the provider prepares a kept command once). They are reported through
/// EF Core's command diagnostics like any command EF runs, so interceptors, logs and traces see them too. Each checks what it must inside the statement: a message is inserted
/// only for a member whose account and sign-in still hold (a revocation that committed anywhere, on any instance,
/// stops the next send), and its Seq is the chat's next one, read in the same statement. The trigger
/// <see cref="MessageTrigger.Name"/> then moves the chat's LastSeq and the sender's read position.
/// </summary>
public abstract class WriteStatements : IDisposable
{
    private readonly DbCommand _append;
    private readonly DbCommand _readPosition;
    private readonly DbCommand _mention;
    private readonly DbCommand _attach;
    private DbContext _db = null!;
    private IRelationalConnection _connection = null!;
    private IRelationalCommandDiagnosticsLogger _diagnostics = null!;

    protected WriteStatements(DbConnection connection, string appendSql, string readPositionSql, string mentionSql, string attachSql)
    {
        _attach = Command(connection, attachSql, "message", "chat", "sender", "files");
        _mention = Command(connection, mentionSql, "message", "chat", "seq", "sender", "named", "broadcast", "here");
        _append = Command(connection, appendSql, "chat", "sender", "stamp", "signIn", "kind", "body", "now", "clientId", "replyTo", "searchText");
        _readPosition = Command(connection, readPositionSql, "chat", "reader", "stamp", "signIn", "seq");
    }

    /// <summary>The statements on <paramref name="db"/>'s connection, which stays open as long as they are used.</summary>
    public static WriteStatements For(DbContext db)
    {
        WriteStatements statements = db.Database.GetDbConnection() switch
        {
            SqliteConnection sqlite => new Sqlite(sqlite),
            SqlConnection sqlServer => new SqlServer(sqlServer),
            var other => throw new NotSupportedException($"No write statements for {other.GetType().Name}."),
        };
        statements._db = db;
        statements._connection = db.GetService<IRelationalConnection>();
        statements._diagnostics = db.GetService<IRelationalCommandDiagnosticsLogger>();
        return statements;
    }

    /// <summary>Appends a message; null when nothing was inserted (a repeated client message id, a sender who may not send, or a reply to a message of another chat).</summary>
    public async Task<Appended?> AppendAsync(DbTransaction transaction, AppendRequest request, DateTime now, CancellationToken cancellationToken)
    {
        Bind(_append, transaction, request.ChatId, request.Sender.Id, request.Sender.SecurityStamp, request.Sender.SignInId,
            (int)request.Kind, request.Body, Timestamp(now), ClientId(request.ClientMessageId), request.ReplyToId, request.SearchText);
        Appended appended;
        await using (var reader = await ReaderAsync(_append, cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            appended = new Appended(reader.GetInt64(0), reader.GetInt64(1), now, reader.GetString(2).Split('|'), [],
                reader.IsDBNull(3) ? [] : reader.GetString(3).Split('|'));
        }

        if (request.Mentions is { } mentions)
        {
            appended = appended with { Mentioned = await MentionAsync(transaction, request, appended, mentions, cancellationToken) };
        }

        return request.FileIds is { Count: > 0 } fileIds
            ? appended with { Files = await AttachAsync(transaction, request, appended, fileIds, cancellationToken) }
            : appended;
    }

    /// <summary>
    /// Gives the new message its files: only the sender's own uploads to this chat, stored whole and not yet sent. When
    /// one of them is not (deleted, expired, someone else's), the whole send fails, so no message is ever shown without
    /// a file it was sent with. Run only for a message with files.
    /// </summary>
    private async Task<IReadOnlyList<Files.FileView>> AttachAsync(
        DbTransaction transaction, AppendRequest request, Appended appended, IReadOnlyList<string> fileIds, CancellationToken cancellationToken)
    {
        Bind(_attach, transaction, appended.Id, request.ChatId, request.Sender.Id, System.Text.Json.JsonSerializer.Serialize(fileIds));
        var files = new List<(DateTime UploadedAt, Files.FileView File)>();
        await using (var reader = await ReaderAsync(_attach, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                files.Add((reader.GetDateTime(8), new Files.FileView(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                    reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    (Files.ThumbnailState)reader.GetInt32(7) == Files.ThumbnailState.Ready)));
            }
        }

        // In the order they were uploaded, as every later read of the message orders them.
        return files.Count == fileIds.Count
            ? [.. files.OrderBy(f => f.UploadedAt).ThenBy(f => f.File.Id, StringComparer.Ordinal).Select(f => f.File)]
            : throw new Files.FileGoneException();
    }

    /// <summary>
    /// Records who the new message mentions: members only (never the sender), so nobody outside the chat is told;
    /// <c>@here</c> and <c>@all</c> only in a group. Run only for a message whose text mentions someone.
    /// </summary>
    private async Task<IReadOnlyList<Mentioned>> MentionAsync(
        DbTransaction transaction, AppendRequest request, Appended appended, MentionTargets mentions, CancellationToken cancellationToken)
    {
        Bind(_mention, transaction, appended.Id, request.ChatId, appended.Seq, request.Sender.Id, IdList(mentions.PersonIds),
            (int?)mentions.Broadcast ?? -1, IdList(mentions.OnlineIds));
        var mentioned = new List<Mentioned>();
        await using var reader = await ReaderAsync(_mention, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            mentioned.Add(new Mentioned(reader.GetString(0), (MentionKind)reader.GetInt32(1)));
        }

        return mentioned;
    }

    /// <summary>Ids as one parameter the statements search in: "|a|b|" (ids never contain '|').</summary>
    private static string IdList(IReadOnlyCollection<string> ids) => ids.Count == 0 ? "" : "|" + string.Join('|', ids) + "|";

    /// <summary>Moves a reader's position forward (never back, never past the chat's end); whether it moved.</summary>
    public async Task<bool> AdvanceReadPositionAsync(DbTransaction transaction, ReadPosition position, CancellationToken cancellationToken)
    {
        Bind(_readPosition, transaction, position.ChatId, position.Reader.Id, position.Reader.SecurityStamp, position.Reader.SignInId, position.Seq);
        return await NonQueryAsync(_readPosition, cancellationToken) > 0;
    }

    private async Task<DbDataReader> ReaderAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var (id, start) = (Guid.NewGuid(), DateTimeOffset.UtcNow);
        try
        {
            var intercepted = await _diagnostics.CommandReaderExecutingAsync(_connection, command, command.CommandText, _db, id, _connection.ConnectionId, start, CommandSource.ExecuteSqlRaw, cancellationToken);
            var reader = intercepted.HasResult ? intercepted.Result : await command.ExecuteReaderAsync(cancellationToken);
            return await _diagnostics.CommandReaderExecutedAsync(_connection, command, command.CommandText, _db, id, _connection.ConnectionId, reader, start, DateTimeOffset.UtcNow - start, CommandSource.ExecuteSqlRaw, cancellationToken);
        }
        catch (Exception e)
        {
            await _diagnostics.CommandErrorAsync(_connection, command, command.CommandText, _db, DbCommandMethod.ExecuteReader, id, _connection.ConnectionId, e, start, DateTimeOffset.UtcNow - start, CommandSource.ExecuteSqlRaw, cancellationToken);
            throw;
        }
    }

    private async Task<int> NonQueryAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var (id, start) = (Guid.NewGuid(), DateTimeOffset.UtcNow);
        try
        {
            var intercepted = await _diagnostics.CommandNonQueryExecutingAsync(_connection, command, command.CommandText, _db, id, _connection.ConnectionId, start, CommandSource.ExecuteSqlRaw, cancellationToken);
            var rows = intercepted.HasResult ? intercepted.Result : await command.ExecuteNonQueryAsync(cancellationToken);
            return await _diagnostics.CommandNonQueryExecutedAsync(_connection, command, command.CommandText, _db, id, _connection.ConnectionId, rows, start, DateTimeOffset.UtcNow - start, CommandSource.ExecuteSqlRaw, cancellationToken);
        }
        catch (Exception e)
        {
            await _diagnostics.CommandErrorAsync(_connection, command, command.CommandText, _db, DbCommandMethod.ExecuteNonQuery, id, _connection.ConnectionId, e, start, DateTimeOffset.UtcNow - start, CommandSource.ExecuteSqlRaw, cancellationToken);
            throw;
        }
    }

    /// <summary>The provider's stored form of a time (the form EF Core writes, so both compare and read back alike).</summary>
    protected abstract object Timestamp(DateTime utc);

    /// <summary>The provider's stored form of a client message id (likewise).</summary>
    protected abstract object ClientId(Guid id);

    private static DbCommand Command(DbConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void Bind(DbCommand command, DbTransaction transaction, params object?[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public void Dispose()
    {
        _append.Dispose();
        _readPosition.Dispose();
        _mention.Dispose();
        _attach.Dispose();
    }

    private sealed class Sqlite(SqliteConnection connection) : WriteStatements(connection,
        $"""
        INSERT INTO "Messages" ("ChatId", "Seq", "Kind", "SenderId", "Body", "SentAt", "ClientMessageId", "RemovedByAdmin", "ChangeSeq", "ReplyToId", "SearchText")
        SELECT c."Id", c."LastSeq" + 1, @kind, @sender, @body, @now, @clientId, 0, 0, @replyTo, @searchText
        FROM "Chats" AS c
        WHERE c."Id" = @chat
          AND EXISTS (SELECT 1 FROM "ChatMembers" AS m WHERE m."ChatId" = @chat AND m."UserId" = @sender)
          AND {SignedInSql}
          AND (@replyTo IS NULL OR EXISTS (SELECT 1 FROM "Messages" AS r WHERE r."Id" = @replyTo AND r."ChatId" = @chat))
        ON CONFLICT ("SenderId", "ClientMessageId") DO NOTHING
        RETURNING "Id", "Seq", (SELECT group_concat("UserId", '|') FROM "ChatMembers" WHERE "ChatId" = @chat),
            (SELECT group_concat(m."UserId", '|') FROM "ChatMembers" AS m
             WHERE m."ChatId" = @chat AND m."UserId" <> @sender AND EXISTS (SELECT 1 FROM "PushDevices" AS d WHERE d."UserId" = m."UserId"));
        """,
        $"""
        UPDATE "ChatMembers" SET "LastReadSeq" = @seq
        WHERE "ChatId" = @chat AND "UserId" = @reader AND "LastReadSeq" < @seq
          AND @seq <= (SELECT "LastSeq" FROM "Chats" WHERE "Id" = @chat)
          AND {SignedInSql.Replace("@sender", "@reader")};
        """,
        """
        INSERT INTO "MessageMentions" ("MessageId", "UserId", "ChatId", "Seq", "Kind")
        SELECT @message, m."UserId", @chat, @seq,
               CASE WHEN instr(@named, '|' || m."UserId" || '|') > 0 THEN 0 ELSE @broadcast END
        FROM "ChatMembers" AS m JOIN "Chats" AS c ON c."Id" = m."ChatId"
        WHERE m."ChatId" = @chat AND m."UserId" <> @sender
          AND (instr(@named, '|' || m."UserId" || '|') > 0
               OR (c."Kind" = 1 AND (@broadcast = 2 OR (@broadcast = 1 AND instr(@here, '|' || m."UserId" || '|') > 0))))
        RETURNING "UserId", "Kind";
        """,
        """
        UPDATE "Files" SET "MessageId" = @message
        WHERE "Id" IN (SELECT "value" FROM json_each(@files))
          AND "ChatId" = @chat AND "UploaderId" = @sender AND "MessageId" IS NULL AND "State" = 1
        RETURNING "Id", "Name", "Size", "ContentType", "Inline", "Width", "Height", "Thumbnail", "UploadedAt";
        """)
    {
        // A sign-in that still holds: the account's security stamp is the one the cookie carries (a lock, a new
        // password or "log out everywhere" changes it; a deleted account has none) and the sign-in was not ended.
        private const string SignedInSql = """
            EXISTS (SELECT 1 FROM "SignIns" AS s JOIN "AspNetUsers" AS u ON u."Id" = s."UserId"
                    WHERE s."Id" = @signIn AND u."Id" = @sender AND u."SecurityStamp" = @stamp)
            """;

        protected override object Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

        protected override object ClientId(Guid id) => id.ToString().ToUpperInvariant();
    }

    private sealed class SqlServer(SqlConnection connection) : WriteStatements(connection,
        $"""
        SET NOCOUNT ON;
        DECLARE @appended TABLE ([Id] bigint, [Seq] bigint);
        INSERT INTO [Messages] ([ChatId], [Seq], [Kind], [SenderId], [Body], [SentAt], [ClientMessageId], [RemovedByAdmin], [ChangeSeq], [ReplyToId], [SearchText])
        OUTPUT inserted.[Id], inserted.[Seq] INTO @appended
        SELECT c.[Id], c.[LastSeq] + 1, @kind, @sender, @body, @now, @clientId, 0, 0, @replyTo, @searchText
        FROM [Chats] AS c WITH (UPDLOCK, HOLDLOCK)
        WHERE c.[Id] = @chat
          AND EXISTS (SELECT 1 FROM [ChatMembers] AS m WHERE m.[ChatId] = @chat AND m.[UserId] = @sender)
          AND {SignedInSql}
          AND (@replyTo IS NULL OR EXISTS (SELECT 1 FROM [Messages] AS r WHERE r.[Id] = @replyTo AND r.[ChatId] = @chat))
          AND NOT EXISTS (SELECT 1 FROM [Messages] AS x WITH (UPDLOCK, HOLDLOCK) WHERE x.[SenderId] = @sender AND x.[ClientMessageId] = @clientId);
        SELECT a.[Id], a.[Seq], (SELECT STRING_AGG(m.[UserId], '|') FROM [ChatMembers] AS m WHERE m.[ChatId] = @chat),
            (SELECT STRING_AGG(m.[UserId], '|') FROM [ChatMembers] AS m
             WHERE m.[ChatId] = @chat AND m.[UserId] <> @sender AND EXISTS (SELECT 1 FROM [PushDevices] AS d WHERE d.[UserId] = m.[UserId]))
        FROM @appended AS a;
        """,
        $"""
        UPDATE [ChatMembers] SET [LastReadSeq] = @seq
        WHERE [ChatId] = @chat AND [UserId] = @reader AND [LastReadSeq] < @seq
          AND @seq <= (SELECT [LastSeq] FROM [Chats] WHERE [Id] = @chat)
          AND {SignedInSql.Replace("@sender", "@reader")};
        """,
        """
        SET NOCOUNT ON;
        INSERT INTO [MessageMentions] ([MessageId], [UserId], [ChatId], [Seq], [Kind])
        OUTPUT inserted.[UserId], inserted.[Kind]
        SELECT @message, m.[UserId], @chat, @seq,
               CASE WHEN CHARINDEX('|' + m.[UserId] + '|', @named) > 0 THEN 0 ELSE @broadcast END
        FROM [ChatMembers] AS m JOIN [Chats] AS c ON c.[Id] = m.[ChatId]
        WHERE m.[ChatId] = @chat AND m.[UserId] <> @sender
          AND (CHARINDEX('|' + m.[UserId] + '|', @named) > 0
               OR (c.[Kind] = 1 AND (@broadcast = 2 OR (@broadcast = 1 AND CHARINDEX('|' + m.[UserId] + '|', @here) > 0))));
        """,
        """
        SET NOCOUNT ON;
        UPDATE [Files] SET [MessageId] = @message
        OUTPUT inserted.[Id], inserted.[Name], inserted.[Size], inserted.[ContentType], inserted.[Inline], inserted.[Width], inserted.[Height], inserted.[Thumbnail], inserted.[UploadedAt]
        WHERE [Id] IN (SELECT [value] FROM OPENJSON(@files))
          AND [ChatId] = @chat AND [UploaderId] = @sender AND [MessageId] IS NULL AND [State] = 1;
        """)
    {
        private const string SignedInSql = """
            EXISTS (SELECT 1 FROM [SignIns] AS s JOIN [AspNetUsers] AS u ON u.[Id] = s.[UserId]
                    WHERE s.[Id] = @signIn AND u.[Id] = @sender AND u.[SecurityStamp] = @stamp)
            """;

        protected override object Timestamp(DateTime utc) => utc;

        protected override object ClientId(Guid id) => id;
    }
}

/// <summary>The name of the trigger that keeps a chat's LastSeq and the sender's read position with every message inserted.</summary>
public static class MessageTrigger
{
    public const string Name = "Messages_Appended";
}

/// <summary>A message to append as <see cref="Sender"/>, who the writer checks may still send it; a reply only to a message of the same chat.</summary>
public sealed record AppendRequest(
    Accounts.SignedInUser Sender, int ChatId, MessageKind Kind, string Body, Guid ClientMessageId, long? ReplyToId = null, MentionTargets? Mentions = null,
    IReadOnlyList<string>? FileIds = null)
{
    /// <summary>What search will match, made when the request is, so the writer's loop only binds it.</summary>
    public string? SearchText { get; } = Search.SearchText.ForIndex(Body, Kind, deleted: false);
}

/// <summary>
/// Who a message's text mentions: accounts by id (whoever of them is a member is told), and <c>@here</c> (the
/// members in <see cref="OnlineIds"/>) or <c>@all</c> (every member).
/// </summary>
public sealed record MentionTargets(IReadOnlyList<string> PersonIds, MentionKind? Broadcast, IReadOnlyList<string> OnlineIds);

/// <summary>
/// What a committed append is: the message's id, Seq and time, the chat's members at that moment (who to tell), which
/// of them it mentions, and which others have a device with push on (who a push may be for: read in the same statement,
/// so a chat where nobody has one costs no query more).
/// </summary>
public sealed record Appended(
    long Id, long Seq, DateTime SentAt, IReadOnlyList<string> MemberIds, IReadOnlyList<Mentioned> Mentioned, IReadOnlyList<string> PushableIds)
{
    /// <summary>The files the message was sent with, in the order given.</summary>
    public IReadOnlyList<Files.FileView> Files { get; init; } = [];
}

/// <summary>A member a message mentions, and how.</summary>
public readonly record struct Mentioned(string UserId, MentionKind Kind);

/// <summary><see cref="Reader"/> has read chat <see cref="ChatId"/> up to <see cref="Seq"/>.</summary>
public readonly record struct ReadPosition(Accounts.SignedInUser Reader, int ChatId, long Seq);
