using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace DuckChat.Web.Chats.Mentions;

/// <summary>
/// <c>@name</c> in running text (never in code): an @ that does not follow a letter or digit (so <c>bob@example.com</c>
/// is an address), then a username's characters. A name does not end in '.' or '-', so "thanks @bob." names bob.
/// </summary>
public sealed class MentionParser : InlineParser
{
    public MentionParser() => OpeningCharacters = ['@'];

    public static bool IsNameCharacter(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or '-';

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        var start = slice.Start;
        if (start > 0 && IsNameCharacter(slice.Text[start - 1]))
        {
            return false;
        }

        var end = start + 1;
        while (end <= slice.End && IsNameCharacter(slice.Text[end]))
        {
            end++;
        }

        while (end > start + 1 && slice.Text[end - 1] is '.' or '-')
        {
            end--;
        }

        var length = end - start - 1;
        if (length < Accounts.ApplicationUser.UserNameMinLength || length > Accounts.ApplicationUser.UserNameMaxLength)
        {
            return false;
        }

        processor.Inline = new MentionInline(slice.Text.Substring(start + 1, length))
        {
            Span = new SourceSpan(processor.GetSourcePosition(start, out var line, out var column), processor.GetSourcePosition(end - 1)),
            Line = line,
            Column = column,
        };
        slice.Start = end;
        return true;
    }
}

/// <summary>An <c>@name</c> as written (without the @).</summary>
public sealed class MentionInline(string name) : LeafInline
{
    public string Name { get; } = name;
}

/// <summary>
/// Writes a mention: highlighted with the mentioned person's id when the message's mentions name them (so a page can
/// highlight its reader's own mentions more strongly), and as the plain text it was otherwise.
/// </summary>
public sealed class MentionRenderer(IReadOnlyList<Mention> mentions) : HtmlObjectRenderer<MentionInline>
{
    protected override void Write(HtmlRenderer renderer, MentionInline mention)
    {
        var match = mentions.FirstOrDefault(m => m.IsNamed(mention.Name));
        if (match is null || !renderer.EnableHtmlForInline)
        {
            renderer.Write('@').WriteEscape(mention.Name);
            return;
        }

        renderer.Write(match.UserId is null ? "<span class=\"mention mention-all\">@" : $"<span class=\"mention\" data-user=\"{match.UserId}\">@");
        renderer.WriteEscape(mention.Name).Write("</span>");
    }
}
