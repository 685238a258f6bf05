using DbTls.Dialects.FreeTds;

namespace DbTls.Tests.Dialects.FreeTds;

public class FreeTdsConfigFileTests
{
    [Fact]
    public void Reads_options_as_tds_read_conf_section_does()
    {
        var file = FreeTdsConfigFile.FromText("t", """
            ; a comment
               # another comment
            [Global]
                TDS   Version = 7.4
            [MyServer]
            	Host = db.example.com   ; inline comment
              port=1433#also a comment
              ca   file =   /etc/ssl/my    ca.pem
              Check Certificate Hostname = No
            empty value =
            no equals sign here
            = value without option
            """);

        Assert.Equal([("tds version", "7.4")], Pairs(file.Section("global")));
        Assert.Equal(
            [
                ("host", "db.example.com"),
                ("port", "1433"),
                ("ca file", "/etc/ssl/my ca.pem"),
                ("check certificate hostname", "No"),
                ("empty value", ""),
                ("no equals sign here", ""),
            ],
            Pairs(file.Section("myserver")));
        Assert.True(file.HasSection("MYSERVER"));
        Assert.False(file.HasSection("other"));
    }

    [Fact]
    public void Line_numbers_point_at_the_physical_line()
    {
        var file = FreeTdsConfigFile.FromText("t", "[s]\n\n; c\n  host = h\n");
        Assert.Equal(4, Assert.Single(file.Section("s")).LineNumber);
    }

    [Fact]
    public void A_section_may_appear_more_than_once()
    {
        var file = FreeTdsConfigFile.FromText("t", "[s]\nhost = a\n[t]\nhost = b\n[S]\nport = 2\n");
        Assert.Equal([("host", "a"), ("port", "2")], Pairs(file.Section("s")));
    }

    [Fact]
    public void Section_names_keep_inner_spaces_and_end_at_the_first_bracket()
    {
        var file = FreeTdsConfigFile.FromText("t", "[ spaced   name ]\nhost = a\n[x]y]\nhost = b\n");
        Assert.True(file.HasSection(" spaced name "));
        Assert.False(file.HasSection("spaced name"));
        Assert.True(file.HasSection("x"));
    }

    [Fact]
    public void Lines_longer_than_255_bytes_are_read_in_pieces_like_fgets()
    {
        // FreeTDS reads with fgets into a 256-byte buffer: the rest of a long line becomes a line of its own.
        var longValue = new string('a', 300);
        var file = FreeTdsConfigFile.FromText("t", $"[s]\nca file = {longValue}\nport = 5\n");
        var lines = file.Section("s").ToList();
        Assert.Equal("ca file", lines[0].Option);
        Assert.Equal(255 - "ca file = ".Length, lines[0].Value.Length);
        Assert.Equal(new string('a', 300 - lines[0].Value.Length), lines[1].Option);
        Assert.Equal(("port", "5"), (lines[2].Option, lines[2].Value));
    }

    [Fact]
    public void Missing_file_cannot_be_opened()
    {
        Assert.Null(FreeTdsConfigFile.TryRead("/nonexistent/freetds.conf"));
        Assert.Null(FreeTdsConfigFile.TryRead(string.Empty));
        Assert.Null(FreeTdsConfigFile.TryRead(Path.GetTempPath()));
    }

    private static (string, string)[] Pairs(IEnumerable<FreeTdsConfigLine> lines) =>
        lines.Select(l => (l.Option, l.Value)).ToArray();
}
