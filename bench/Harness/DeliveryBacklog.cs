using System.Diagnostics;
using DuckChat.Bench.Circuits;

namespace DuckChat.Bench.Harness;

/// <summary>A message M2 sent, when, by whom, and the circuits that should show it: the other viewers of its chat open when it was sent.</summary>
public sealed record SentMessage(string Key, BlazorCircuit Sender, double AtMs, IReadOnlyList<BlazorCircuit> Viewers);

/// <summary>
/// What the server still owes M2's circuits: every message sent whose viewers have not all shown it. A step's load
/// starts on a drained server, with nothing owed, so that its latency is its own and not the backlog of the step
/// before; waiting is capped, and a step that began with deliveries still owed says so.
/// </summary>
public sealed class DeliveryBacklog
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly List<SentMessage> _owed = [];

    public void Add(IEnumerable<SentMessage> sent) => _owed.AddRange(sent);

    /// <summary>
    /// Waits until every live circuit (a failed one will never show anything) has shown every message owed to it, or
    /// until <paramref name="until"/>. Whatever is still owed then is given up: the step that sent it counted it missing.
    /// </summary>
    /// <returns>The deliveries still owed when it stopped waiting (0: drained).</returns>
    public async Task<int> DrainAsync(Stopwatch clock, TimeSpan until)
    {
        while (true)
        {
            var seen = SeenBy(_owed.SelectMany(m => m.Viewers));
            _owed.RemoveAll(m => m.Viewers.All(v => v.Failure is not null || seen[v].ContainsKey(m.Key)));
            var owed = _owed.Sum(m => m.Viewers.Count(v => v.Failure is null && !seen[v].ContainsKey(m.Key)));
            if (owed == 0 || clock.Elapsed >= until)
            {
                _owed.Clear();
                return owed;
            }

            await Task.Delay(Poll);
        }
    }

    /// <summary>
    /// Waits (as <see cref="DrainAsync"/>) for <paramref name="measured"/> to reach their viewers: each delivery's latency
    /// from the send, and how many never arrived within the cap (a failed circuit's included). Anything still owed stays
    /// owed, for the next step to wait for.
    /// </summary>
    public async Task<(List<double> LatenciesMs, int Missing)> DeliveriesAsync(IReadOnlyList<SentMessage> measured, TimeSpan cap)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = SeenBy(measured.SelectMany(m => m.Viewers));
            var latencies = new List<double>();
            var missing = 0;
            var owed = 0;
            foreach (var message in measured)
            {
                foreach (var viewer in message.Viewers)
                {
                    if (seen[viewer].TryGetValue(message.Key, out var at))
                    {
                        latencies.Add(at - message.AtMs);
                    }
                    else
                    {
                        missing++;
                        owed += viewer.Failure is null ? 1 : 0;
                    }
                }
            }

            if (owed == 0 || clock.Elapsed >= cap)
            {
                return (latencies, missing);
            }

            await Task.Delay(Poll);
        }
    }

    private static Dictionary<BlazorCircuit, Dictionary<string, double>> SeenBy(IEnumerable<BlazorCircuit> circuits) =>
        circuits.Distinct().ToDictionary(c => c, c => c.Seen.ToDictionary(s => s.Key, s => s.AtMs));
}
