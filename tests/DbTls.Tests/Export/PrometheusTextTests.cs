using DbTls.Export;

namespace DbTls.Tests.Export;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Label_values_with_backslash_quote_and_newline_read_back_exactly()
    {
        const string hostile = "CN=a\\b \"quoted\"\nO=x}, y=\"z\"";
        var text = new PrometheusText()
            .Family("dbtls_cert_not_after_seconds", "gauge", "help with \\ and\nnewline")
            .Sample(1767225600, ("subject", hostile), ("target", "t"))
            .ToString();
        Assert.Contains("# HELP dbtls_cert_not_after_seconds help with \\\\ and\\nnewline\n", text, StringComparison.Ordinal);
        var sample = Assert.Single(Exposition.Parse(text));
        Assert.Equal(hostile, sample.Labels["subject"]);
        Assert.Equal(1767225600, sample.Value);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(1.3, "1.3")]
    [InlineData(0.0421, "0.0421")]
    [InlineData(1767225600d, "1767225600")]
    public void Values_are_written_as_the_format_reads_them(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.Value(value));

    [Fact]
    public void A_family_is_written_once_and_names_are_checked()
    {
        var text = new PrometheusText().Family("dbtls_up", "gauge", "h");
        Assert.Throws<InvalidOperationException>(() => text.Family("dbtls_up", "gauge", "h"));
        Assert.Throws<ArgumentException>(() => new PrometheusText().Family("1bad", "gauge", "h"));
        Assert.Throws<ArgumentException>(() => new PrometheusText().Family("ok", "gauge", "h").Sample(1, ("__reserved", "x")));
    }
}
