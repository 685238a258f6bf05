using System.Runtime.InteropServices;

namespace DbTls.Auth;

/// <summary>
/// NFKC through the system's ICU (libicuuc), loaded at run time so that the NativeAOT binary, which runs with
/// invariant globalization, can still normalise. ICU suffixes every exported C function with its major version
/// (unorm2_normalize_72), so both the library and the symbols are probed by version; no DllImport with a fixed
/// name exists that could fail at load time.
/// </summary>
internal sealed unsafe class IcuNormalizer
{
    // U_BUFFER_OVERFLOW_ERROR in ICU's UErrorCode; any value above zero is a failure (U_FAILURE).
    private const int BufferOverflowError = 15;

    // Newest first: Debian 12 ships 72, Debian 13 ships 76, Ubuntu 24.04 ships 74; the range covers others.
    private const int NewestMajor = 90;
    private const int OldestMajor = 50;

    private readonly nint _normalizer;
    private readonly delegate* unmanaged<nint, char*, int, char*, int, int*, int> _normalize;

    private IcuNormalizer(int version, nint normalizer, delegate* unmanaged<nint, char*, int, char*, int, int*, int> normalize)
    {
        Version = version;
        _normalizer = normalizer;
        _normalize = normalize;
    }

    /// <summary>ICU's major version, as found in the symbol names.</summary>
    public int Version { get; }

    /// <summary>Loads the newest libicuuc found and its NFKC instance; null when there is none.</summary>
    public static IcuNormalizer? TryLoad()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
        {
            return null;
        }

        for (var major = NewestMajor; major >= OldestMajor; major--)
        {
            if (NativeLibrary.TryLoad($"libicuuc.so.{major}", out var library))
            {
                if (TryBind(library, major) is { } found)
                {
                    return found;
                }

                NativeLibrary.Free(library);
            }
        }

        // An unversioned development link (libicuuc.so) still exports version-suffixed names.
        if (NativeLibrary.TryLoad("libicuuc.so", out var unversioned))
        {
            for (var major = NewestMajor; major >= OldestMajor; major--)
            {
                if (TryBind(unversioned, major) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>NFKC of <paramref name="text"/>; null when ICU reports an error (for example a lone surrogate).</summary>
    public string? NormalizeNfkc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        // NFKC can grow text (U+FDFA becomes 18 characters); start with room for modest growth, then ask ICU.
        var capacity = checked((text.Length * 3) + 16);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var buffer = new char[capacity];
            var error = 0;
            int length;
            fixed (char* source = text)
            fixed (char* destination = buffer)
            {
                length = _normalize(_normalizer, source, text.Length, destination, buffer.Length, &error);
            }

            if (error == BufferOverflowError && length > capacity)
            {
                capacity = length;
                continue;
            }

            return error > 0 || length < 0 || length > buffer.Length ? null : new string(buffer, 0, length);
        }

        return null;
    }

    private static IcuNormalizer? TryBind(nint library, int major)
    {
        if (!NativeLibrary.TryGetExport(library, $"unorm2_getNFKCInstance_{major}", out var getInstance)
            || !NativeLibrary.TryGetExport(library, $"unorm2_normalize_{major}", out var normalize))
        {
            return null;
        }

        var error = 0;
        var instance = ((delegate* unmanaged<int*, nint>)getInstance)(&error);
        return error > 0 || instance == 0
            ? null
            : new IcuNormalizer(major, instance, (delegate* unmanaged<nint, char*, int, char*, int, int*, int>)normalize);
    }
}
