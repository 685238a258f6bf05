using System.Globalization;
using System.Text;

namespace DbTls.Export;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: per family one <c># HELP</c> and one <c># TYPE</c> line, then its
/// samples, families never interleaved. Label values escape backslash, double quote and line feed; HELP text escapes
/// backslash and line feed; values are Go-style floats (<c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>).
/// </summary>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>Starts a metric family; each name once per exposition.</summary>
    public PrometheusText Family(string name, string type, string help)
    {
        if (!IsMetricName(name))
        {
            throw new ArgumentException("not a Prometheus metric name", nameof(name));
        }

        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"the family {name} was already written");
        }

        _current = name;
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    /// <summary>A sample of the current family (a counter's <c>_total</c> name is the family's own name here).</summary>
    public PrometheusText Sample(double value, params (string Name, string Value)[] labels)
    {
        var name = _current ?? throw new InvalidOperationException("no family started");
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (!IsLabelName(labels[i].Name))
                {
                    throw new ArgumentException("not a Prometheus label name", nameof(labels));
                }

                _text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Value(value)).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Value(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.StartsWith("__", StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
