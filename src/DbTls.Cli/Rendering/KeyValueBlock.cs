using Spectre.Console;
using Spectre.Console.Rendering;

namespace DbTls.Cli.Rendering;

/// <summary>An indented two-column block of labels and values; values wrap inside their column.</summary>
internal sealed class KeyValueBlock
{
    private readonly List<(string Label, IRenderable Value)> _rows = [];
    private readonly int _indent;
    private readonly int _minimumLabelWidth;

    /// <param name="indent">Columns before the labels.</param>
    /// <param name="minimumLabelWidth">Lets blocks that follow each other (certificates) line up.</param>
    public KeyValueBlock(int indent = 2, int minimumLabelWidth = 0)
    {
        _indent = indent;
        _minimumLabelWidth = minimumLabelWidth;
    }

    public bool IsEmpty => _rows.Count == 0;

    /// <summary>Adds a row unless the value is null or empty.</summary>
    public KeyValueBlock Add(string label, string? value, Style? style = null)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _rows.Add((label, new Text(value, style)));
        }

        return this;
    }

    public KeyValueBlock Add(string label, IRenderable value)
    {
        _rows.Add((label, value));
        return this;
    }

    /// <summary>Adds one row per line of values, the label on the first only; nothing for an empty list.</summary>
    public KeyValueBlock AddLines(string label, IEnumerable<string> values)
    {
        var lines = values.Where(v => !string.IsNullOrEmpty(v)).ToList();
        if (lines.Count > 0)
        {
            _rows.Add((label, new Text(string.Join('\n', lines))));
        }

        return this;
    }

    public IRenderable Build()
    {
        var labelWidth = Math.Max(_minimumLabelWidth, _rows.Count == 0 ? 0 : _rows.Max(r => r.Label.Length));
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().Width(labelWidth).Padding(_indent, 0, 2, 0));
        grid.AddColumn(new GridColumn().Padding(0, 0, 0, 0));
        foreach (var (label, value) in _rows)
        {
            grid.AddRow(new Text(label, Styles.Label), value);
        }

        return grid;
    }
}
