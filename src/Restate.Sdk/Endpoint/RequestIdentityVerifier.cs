using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;
using SimpleBase;

namespace Restate.Sdk.Endpoint;

/// <summary>
/// Checks that a request to this deployment comes from a Restate server holding one of the configured
/// request-identity keys. A server configured with <c>request-identity-private-key-pem-file</c> sends
/// <c>x-restate-signature-scheme: v1</c> and an Ed25519-signed JWT in <c>x-restate-jwt-v1</c> whose
/// <c>aud</c> claim is the request path; the service is configured with the matching
/// <c>publickeyv1_&lt;base58&gt;</c> public keys.
/// </summary>
/// <remarks>
/// With no keys configured every request is accepted. The JWT <c>kid</c> header is informational: it only
/// decides which key is tried first. No clock leeway is applied to <c>exp</c> and <c>nbf</c>.
/// </remarks>
internal sealed class RequestIdentityVerifier
{
    /// <summary>The header naming the signature scheme (<c>v1</c>, or <c>unsigned</c> when the server has no key).</summary>
    public const string SchemeHeader = "x-restate-signature-scheme";

    /// <summary>The header carrying the compact JWT for scheme <c>v1</c>.</summary>
    public const string JwtHeader = "x-restate-jwt-v1";

    /// <summary>The only signature scheme this verifier understands.</summary>
    public const string SchemeV1 = "v1";

    /// <summary>The prefix of a request-identity public key string.</summary>
    public const string KeyPrefix = "publickeyv1_";

    private const string FailurePrefix = "Request identity check failed: ";
    private const string UnsignedScheme = "unsigned";
    private const string ExpectedAlgorithm = "EdDSA";
    private const int PublicKeySize = 32;
    private const int SignatureSize = 64;

    // A Restate token is a few hundred characters; anything far larger is not one of ours.
    private const int MaxTokenLength = 16 * 1024;

    // Untrusted or secret-adjacent text quoted in messages is cut to these lengths.
    private const int ShortEchoLength = 20;
    private const int LongEchoLength = 100;

    // NSec loads libsodium when SignatureAlgorithm is first touched, so it is referenced only where a key is used:
    // an endpoint without identity keys (the common local and Lambda setup) never needs the native library.
    private static SignatureAlgorithm Ed25519 => SignatureAlgorithm.Ed25519;

    private readonly ConfiguredKey[] _keys;

    private RequestIdentityVerifier(ConfiguredKey[] keys) => _keys = keys;

    /// <summary>A verifier with no keys, which accepts every request.</summary>
    public static RequestIdentityVerifier None { get; } = new([]);

    /// <summary>Whether any key is configured, i.e. whether requests are checked at all.</summary>
    public bool IsEnabled => _keys.Length > 0;

    /// <summary>Builds a verifier from <c>publickeyv1_&lt;base58&gt;</c> key strings; no keys gives <see cref="None"/>.</summary>
    /// <exception cref="ArgumentException">A key is empty, lacks the prefix, is not base58 or is not 32 bytes.</exception>
    public static RequestIdentityVerifier Create(IEnumerable<string> publicKeys)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        var keys = new List<ConfiguredKey>();
        foreach (var text in publicKeys)
        {
            if (!TryParseKey(text, out var key, out var error))
                throw new ArgumentException(error, nameof(publicKeys));
            if (!keys.Exists(existing => existing.Id == key.Id))
                keys.Add(key);
        }

        return keys.Count == 0 ? None : new RequestIdentityVerifier([.. keys]);
    }

    /// <summary>
    /// Checks one request. <paramref name="getHeader"/> looks a header up case-insensitively and returns null
    /// when it is absent. Malformed input never throws: it yields an invalid <see cref="IdentityCheck"/>.
    /// </summary>
    public IdentityCheck Verify(string path, Func<string, string?> getHeader, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(getHeader);
        if (_keys.Length == 0)
            return IdentityCheck.Ok;

        var scheme = getHeader(SchemeHeader);
        if (scheme is null)
        {
            return Fail($"the request has no '{SchemeHeader}' header, but this endpoint only accepts requests signed " +
                        "by a Restate server. Configure the Restate server with 'request-identity-private-key-pem-file' " +
                        "holding the private key that matches this endpoint's public keys.");
        }

        if (scheme == UnsignedScheme)
        {
            return Fail($"the request is unsigned ('{SchemeHeader}: {UnsignedScheme}'), but this endpoint only accepts " +
                        "signed requests. Configure the Restate server with 'request-identity-private-key-pem-file' " +
                        "holding the private key that matches this endpoint's public keys.");
        }

        if (scheme != SchemeV1)
        {
            return Fail($"the signature scheme '{Echo(scheme, ShortEchoLength)}' in the '{SchemeHeader}' header is not " +
                        $"supported; expected '{SchemeV1}'.");
        }

        var token = getHeader(JwtHeader);
        if (string.IsNullOrEmpty(token))
        {
            return Fail($"the request has no '{JwtHeader}' header, although its '{SchemeHeader}' header is " +
                        $"'{SchemeV1}'.");
        }

        return VerifyToken(token, path, now);
    }

    /// <summary>
    /// Reduces a request path to the form the Restate server puts in the JWT audience, so deployments mounted
    /// under a prefix verify: <c>/base/invoke/Svc/handler</c> becomes <c>/invoke/Svc/handler</c> and
    /// <c>/base/discover</c> becomes <c>/discover</c>. Any other path is returned unchanged.
    /// </summary>
    public static string NormalizePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);

        // Look for ".../invoke/{service}/{handler}" with non-empty service and handler segments.
        var handlerSlash = path.LastIndexOf('/');
        if (handlerSlash > 0 && handlerSlash < path.Length - 1)
        {
            var serviceSlash = path.LastIndexOf('/', handlerSlash - 1);
            if (serviceSlash > 0 && serviceSlash < handlerSlash - 1)
            {
                var invokeSlash = path.LastIndexOf('/', serviceSlash - 1);
                if (invokeSlash >= 0 && path.AsSpan(invokeSlash, serviceSlash - invokeSlash).SequenceEqual("/invoke"))
                    return invokeSlash == 0 ? path : path[invokeSlash..];
            }
        }

        return path.EndsWith("/discover", StringComparison.Ordinal) ? "/discover" : path;
    }

    private IdentityCheck VerifyToken(string token, string path, DateTimeOffset now)
    {
        if (token.Length > MaxTokenLength)
        {
            return Fail($"the '{JwtHeader}' header is {token.Length} characters long, more than the " +
                        $"{MaxTokenLength} allowed for a Restate request-identity token.");
        }

        var partCount = token.AsSpan().Count('.') + 1;
        if (partCount != 3)
        {
            return Fail($"the '{JwtHeader}' header is not a compact JWT: it has {partCount} part(s) separated by " +
                        "'.', where three (header, payload, signature) are expected.");
        }

        var firstDot = token.IndexOf('.');
        var secondDot = token.IndexOf('.', firstDot + 1);
        var headerBytes = DecodeBase64Url(token.AsSpan(0, firstDot));
        var payloadBytes = DecodeBase64Url(token.AsSpan(firstDot + 1, secondDot - firstDot - 1));
        var signature = DecodeBase64Url(token.AsSpan(secondDot + 1));
        if (headerBytes is null || payloadBytes is null || signature is null)
        {
            var part = headerBytes is null ? "header" : payloadBytes is null ? "payload" : "signature";
            return Fail($"the JWT {part} is not valid base64url (unpadded, alphabet A-Z a-z 0-9 - _).");
        }

        var headerError = ReadHeader(headerBytes, out var keyId);
        if (headerError is not null)
            return Fail(headerError);

        if (signature.Length != SignatureSize)
        {
            return Fail($"the JWT signature is {signature.Length} bytes long, but an Ed25519 signature is exactly " +
                        $"{SignatureSize} bytes.");
        }

        // The signature covers the ASCII text "header.payload"; the base64url check above made it ASCII.
        var signedData = Encoding.ASCII.GetBytes(token, 0, secondDot);
        if (!VerifySignature(signedData, signature, keyId))
        {
            var signer = keyId is null ? "" : $" The token names the key '{Echo(keyId, LongEchoLength)}'.";
            return Fail("the JWT signature does not verify with any of the public keys configured for this endpoint. " +
                        "Check that the Restate server's request-identity private key matches one of them." + signer);
        }

        var claimsError = ReadClaims(payloadBytes, out var claims);
        if (claimsError is not null)
            return Fail(claimsError);

        var missing = claims.MissingClaims();
        if (missing is not null)
            return Fail($"the JWT is missing the required claim(s) {missing}.");

        var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        if (nowSeconds >= claims.Expires)
        {
            return Fail($"the JWT expired at {FormatNumericDate(claims.Expires!.Value)}, and it is now " +
                        $"{now.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}. If this keeps happening, " +
                        "check that the clocks of the Restate server and this service agree.");
        }

        if (nowSeconds < claims.NotBefore)
        {
            return Fail($"the JWT is not valid before {FormatNumericDate(claims.NotBefore!.Value)}, and it is now " +
                        $"{now.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}. If this keeps happening, " +
                        "check that the clocks of the Restate server and this service agree.");
        }

        var audience = NormalizePath(path);
        if (!claims.Audiences!.Contains(audience, StringComparer.Ordinal))
        {
            var shownAudience = claims.Audiences!.Count == 1
                ? $"'{Echo(claims.Audiences[0], LongEchoLength)}'"
                : "[" + string.Join(", ", claims.Audiences.Select(a => $"'{Echo(a, LongEchoLength)}'")) + "]";
            var shownPath = audience == path
                ? $"'{Echo(path, LongEchoLength)}'"
                : $"'{Echo(path, LongEchoLength)}' (normalised to '{Echo(audience, LongEchoLength)}')";
            return Fail($"the JWT audience {shownAudience} does not match the request path {shownPath}.");
        }

        return IdentityCheck.Ok;
    }

    private bool VerifySignature(byte[] signedData, byte[] signature, string? keyId)
    {
        // The kid only picks the key to try first; any configured key that verifies is accepted.
        var preferred = -1;
        for (var i = 0; i < _keys.Length && keyId is not null; i++)
        {
            if (_keys[i].Id == keyId)
            {
                preferred = i;
                break;
            }
        }

        if (preferred >= 0 && Ed25519.Verify(_keys[preferred].Key, signedData, signature))
            return true;

        for (var i = 0; i < _keys.Length; i++)
        {
            if (i != preferred && Ed25519.Verify(_keys[i].Key, signedData, signature))
                return true;
        }

        return false;
    }

    private static string? ReadHeader(byte[] json, out string? keyId)
    {
        keyId = null;
        string? algorithm = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return "the JWT header is not a JSON object.";

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                        return "the JWT header field 'alg' is not a string.";
                    algorithm = reader.GetString();
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    reader.Read();
                    keyId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Throws on anything after the object.
            reader.Read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "the JWT header is not valid JSON.";
        }

        if (algorithm is null)
            return $"the JWT header has no 'alg' field; expected '{ExpectedAlgorithm}'.";
        if (algorithm != ExpectedAlgorithm)
        {
            return $"the JWT algorithm '{Echo(algorithm, ShortEchoLength)}' is not supported; expected " +
                   $"'{ExpectedAlgorithm}' (Ed25519).";
        }

        return null;
    }

    private static string? ReadClaims(byte[] json, out Claims claims)
    {
        claims = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return "the JWT payload is not a JSON object.";

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("aud"u8))
                {
                    reader.Read();
                    claims.Audiences = ReadAudience(ref reader);
                    if (claims.Audiences is null)
                        return "the JWT claim 'aud' is neither a string nor an array of strings.";
                }
                else if (reader.ValueTextEquals("exp"u8))
                {
                    if (!TryReadNumericDate(ref reader, out claims.Expires))
                        return NotANumericDate("exp");
                }
                else if (reader.ValueTextEquals("nbf"u8))
                {
                    if (!TryReadNumericDate(ref reader, out claims.NotBefore))
                        return NotANumericDate("nbf");
                }
                else if (reader.ValueTextEquals("iat"u8))
                {
                    if (!TryReadNumericDate(ref reader, out claims.IssuedAt))
                        return NotANumericDate("iat");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Throws on anything after the object.
            reader.Read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "the JWT payload is not valid JSON.";
        }

        return null;
    }

    private static List<string>? ReadAudience(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            return [reader.GetString()!];
        if (reader.TokenType != JsonTokenType.StartArray)
            return null;

        var audiences = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
                return null;
            audiences.Add(reader.GetString()!);
        }

        return audiences;
    }

    private static bool TryReadNumericDate(ref Utf8JsonReader reader, out double? value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) && double.IsFinite(seconds))
        {
            value = seconds;
            return true;
        }

        value = null;
        return false;
    }

    private static string NotANumericDate(string claim) =>
        $"the JWT claim '{claim}' is not a number of seconds since the Unix epoch (NumericDate).";

    // Strict unpadded base64url: null when any character is outside the alphabet or the length is impossible.
    private static byte[]? DecodeBase64Url(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                return null;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        var status = Base64Url.DecodeFromChars(text, buffer, out _, out var written);
        if (status != OperationStatus.Done)
            return null;
        return written == buffer.Length ? buffer : buffer[..written];
    }

    /// <summary>Why <paramref name="text"/> is not a usable <c>publickeyv1_…</c> key, or null when it is one.</summary>
    public static string? KeyProblem(string? text) => TryParseKey(text, out _, out var error) ? null : error;

    private static bool TryParseKey(string? text, out ConfiguredKey key, out string error)
    {
        key = default;
        error = "";
        var id = text?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            error = $"A Restate request-identity public key is empty; expected a string of the form '{KeyPrefix}<base58>'.";
            return false;
        }

        if (!id.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            error = BadKey(id, $"it does not start with the '{KeyPrefix}' prefix");
            return false;
        }

        var encoded = id.AsSpan(KeyPrefix.Length);
        if (encoded.IsEmpty)
        {
            error = BadKey(id, $"nothing follows the '{KeyPrefix}' prefix");
            return false;
        }

        if (!TryDecodeBase58(encoded, out var bytes))
        {
            error = BadKey(id, "the part after the prefix is not valid base58 (Bitcoin alphabet, which excludes 0, O, I and l)");
            return false;
        }

        if (bytes.Length != PublicKeySize)
        {
            error = BadKey(id, $"it decodes to {bytes.Length} bytes, but an Ed25519 public key is exactly {PublicKeySize} bytes");
            return false;
        }

        if (!PublicKey.TryImport(Ed25519, bytes, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            error = BadKey(id, "it is not a valid Ed25519 public key");
            return false;
        }

        key = new ConfiguredKey(id, publicKey);
        return true;
    }

    private static bool TryDecodeBase58(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        try
        {
            var buffer = new byte[Base58.Bitcoin.GetSafeByteCountForDecoding(text)];
            if (!Base58.Bitcoin.TryDecode(text, buffer, out var written))
                return false;
            bytes = buffer[..written];
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string BadKey(string id, string reason) =>
        $"Invalid Restate request-identity public key '{Echo(id, ShortEchoLength)}': {reason}.";

    private static IdentityCheck Fail(string reason) => IdentityCheck.Fail(FailurePrefix + reason);

    private static string Echo(string text, int maxLength) =>
        text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "...");

    private static string FormatNumericDate(double seconds)
    {
        var shown = seconds.ToString(CultureInfo.InvariantCulture);
        const double MinSeconds = -62_135_596_800; // 0001-01-01
        const double MaxSeconds = 253_402_300_799; // 9999-12-31
        if (seconds is < MinSeconds or > MaxSeconds)
            return shown;
        var date = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(seconds * 1000)).UtcDateTime;
        return $"{date.ToString("u", CultureInfo.InvariantCulture)} ({shown})";
    }

    private readonly record struct ConfiguredKey(string Id, PublicKey Key);

    private struct Claims
    {
        public List<string>? Audiences;
        public double? Expires;
        public double? NotBefore;
        public double? IssuedAt;

        public readonly string? MissingClaims()
        {
            var missing = new List<string>(4);
            if (Audiences is null)
                missing.Add("'aud'");
            if (Expires is null)
                missing.Add("'exp'");
            if (IssuedAt is null)
                missing.Add("'iat'");
            if (NotBefore is null)
                missing.Add("'nbf'");
            return missing.Count == 0 ? null : string.Join(", ", missing);
        }
    }
}
