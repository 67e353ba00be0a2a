using System.Buffers.Binary;
using System.Text;

namespace Holiday.Cdk;

/// <summary>
/// The newest glibc symbol version a Linux executable needs, read from its ELF version-requirements section
/// (<c>.gnu.version_r</c>): a Native AOT <c>bootstrap</c> links against the glibc of the machine that published it,
/// and Lambda's provided.al2023 has <see cref="ProvidedAl2023"/>; a binary that needs more fails to start there.
/// Hand-written because no ELF reader on the package feed the project restores from parses version requirements; it
/// reads 64-bit little-endian ELF only, which is what linux-x64 publishes.
/// </summary>
public static class GlibcRequirement
{
    /// <summary>The glibc of Amazon Linux 2023, the OS of the provided.al2023 runtime.</summary>
    public static Version ProvidedAl2023 { get; } = new(2, 34);

    private const uint VersionNeedsSection = 0x6ffffffe; // SHT_GNU_verneed

    /// <summary>The newest <c>GLIBC_x.y</c> version <paramref name="path"/> requires; null when it requires none.</summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file.</exception>
    public static Version? Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        return Newest(VersionNames(elf, path));
    }

    /// <summary>The newest <c>GLIBC_x.y</c> among <paramref name="names"/> (GLIBC_PRIVATE and other libraries' names are ignored).</summary>
    public static Version? Newest(IEnumerable<string> names) => names
        .Where(name => name.StartsWith("GLIBC_", StringComparison.Ordinal))
        .Select(name => Version.TryParse(name["GLIBC_".Length..], out var version) ? version : null)
        .Where(version => version is not null)
        .Max();

    /// <summary>Every version name the file's version-requirements section lists (e.g. <c>GLIBC_2.34</c>, <c>GCC_3.0</c>).</summary>
    public static IReadOnlyList<string> VersionNames(ReadOnlySpan<byte> elf, string what)
    {
        if (elf.Length < 64 || !elf[..4].SequenceEqual("\u007fELF"u8) || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{what} is not a 64-bit little-endian ELF file.");
        }
        var sectionsAt = checked((int)U64(elf, 0x28));
        var sectionSize = U16(elf, 0x3A);
        var sectionCount = U16(elf, 0x3C);
        var names = new List<string>();
        for (var i = 0; i < sectionCount; i++)
        {
            var header = elf.Slice(sectionsAt + (i * sectionSize), sectionSize);
            if (U32(header, 0x04) != VersionNeedsSection)
            {
                continue;
            }
            var offset = checked((int)U64(header, 0x18));
            var count = U32(header, 0x2C);
            var strings = elf.Slice(sectionsAt + ((int)U32(header, 0x28) * sectionSize), sectionSize);
            var stringsAt = checked((int)U64(strings, 0x18));
            // Verneed entries (one per library), each with a chain of Vernaux entries (one per version name).
            for (var need = 0; need < count; need++)
            {
                var entry = elf[offset..];
                var auxAt = offset + (int)U32(entry, 0x08);
                for (var aux = 0; aux < U16(entry, 0x02); aux++)
                {
                    var auxEntry = elf[auxAt..];
                    names.Add(CString(elf, stringsAt + (int)U32(auxEntry, 0x08)));
                    auxAt += (int)U32(auxEntry, 0x0C);
                }
                offset += (int)U32(entry, 0x0C);
            }
        }
        return names;
    }

    private static ushort U16(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);

    private static uint U32(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    private static ulong U64(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);

    private static string CString(ReadOnlySpan<byte> data, int at)
    {
        var rest = data[at..];
        return Encoding.ASCII.GetString(rest[..rest.IndexOf((byte)0)]);
    }
}
