using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using Restate.Sdk.Endpoint;
using SimpleBase;

namespace Restate.Sdk.Tests.Endpoint;

public sealed class RequestIdentityVerifierTests : IDisposable
{
    private const string InvokePath = "/invoke/Greeter/greet";
    private const string FailurePrefix = "Request identity check failed: ";

    // Restate's conformance-suite key pair: the server's PKCS#8 private key and the service-side public key.
    private const string KnownPrivateKeyPkcs8 = "MC4CAQAwBQYDK2VwBCIEIHsQRVQ+AZX9/Yy1b0Zw+OA+bb7xDxGsAd5kB45jZhoc";
    private const string KnownPublicKeyId = "publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private readonly TestSigner _signer = new();
    private readonly TestSigner _otherSigner = new();

    public void Dispose()
    {
        _signer.Dispose();
        _otherSigner.Dispose();
    }

    // ---- No keys configured ----

    [Theory]
    [InlineData(null, null)]
    [InlineData("unsigned", null)]
    [InlineData("v2", "not-a-jwt")]
    [InlineData("v1", "a.b.c")]
    public void Verify_NoKeysConfigured_AcceptsAnyRequest(string? scheme, string? jwt)
    {
        var verifier = RequestIdentityVerifier.None;

        var check = verifier.Verify(InvokePath, Headers(scheme, jwt), Now);

        Assert.False(verifier.IsEnabled);
        Assert.True(check.IsValid);
        Assert.Null(check.Error);
        Assert.Equal(IdentityCheck.Ok, check);
    }

    [Fact]
    public void Create_EmptyKeyList_ReturnsDisabledVerifier()
    {
        var verifier = RequestIdentityVerifier.Create([]);

        Assert.False(verifier.IsEnabled);
        Assert.True(verifier.Verify(InvokePath, Headers(null, null), Now).IsValid);
    }

    [Fact]
    public void Create_WithKey_ReturnsEnabledVerifier()
    {
        Assert.True(RequestIdentityVerifier.Create([_signer.PublicKeyId]).IsEnabled);
    }

    // ---- Accepted tokens ----

    [Fact]
    public void Verify_ValidToken_Accepted()
    {
        var token = _signer.Sign(Claims(InvokePath));

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertValid(check);
    }

    [Fact]
    public void Verify_HeaderLookupIsDelegatedToTransport_UsesCanonicalHeaderNames()
    {
        var token = _signer.Sign(Claims(InvokePath));
        var requested = new List<string>();
        string? GetHeader(string name)
        {
            requested.Add(name);
            return name switch
            {
                "x-restate-signature-scheme" => "v1",
                "x-restate-jwt-v1" => token,
                _ => null,
            };
        }

        var check = Verifier(_signer).Verify(InvokePath, GetHeader, Now);

        AssertValid(check);
        Assert.Equal(["x-restate-signature-scheme", "x-restate-jwt-v1"], requested);
    }

    [Theory]
    [InlineData("/base/invoke/Greeter/greet")]
    [InlineData("/a/b/c/invoke/Greeter/greet")]
    public void Verify_PrefixedInvokePath_AcceptedWithInvokeAudience(string path)
    {
        var token = _signer.Sign(Claims(InvokePath));

        var check = Verifier(_signer).Verify(path, Headers("v1", token), Now);

        AssertValid(check);
    }

    [Theory]
    [InlineData("/discover")]
    [InlineData("/base/discover")]
    public void Verify_DiscoverPath_AcceptedWithDiscoverAudience(string path)
    {
        var token = _signer.Sign(Claims("/discover"));

        var check = Verifier(_signer).Verify(path, Headers("v1", token), Now);

        AssertValid(check);
    }

    [Fact]
    public void Verify_AudienceArrayContainingPath_Accepted()
    {
        var claims = Claims(InvokePath);
        claims["aud"] = new JsonArray("/invoke/Other/handler", InvokePath);
        var token = _signer.Sign(claims);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertValid(check);
    }

    [Fact]
    public void Verify_SingleElementAudienceArray_Accepted()
    {
        var claims = Claims(InvokePath);
        claims["aud"] = new JsonArray(InvokePath);
        var token = _signer.Sign(claims);

        AssertValid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now));
    }

    [Fact]
    public void Verify_OneSecondBeforeExpiry_Accepted()
    {
        var claims = Claims(InvokePath);
        claims["exp"] = Now.ToUnixTimeSeconds() + 1;
        var token = _signer.Sign(claims);

        AssertValid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now));
    }

    [Fact]
    public void Verify_NowEqualsNotBefore_Accepted()
    {
        var claims = Claims(InvokePath);
        claims["nbf"] = Now.ToUnixTimeSeconds();
        var token = _signer.Sign(claims);

        AssertValid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now));
    }

    [Fact]
    public void Verify_FractionalNumericDates_ComparedExactly()
    {
        var claims = Claims(InvokePath);
        claims["exp"] = Now.ToUnixTimeSeconds() + 0.5;
        var token = _signer.Sign(claims);
        var verifier = Verifier(_signer);

        AssertValid(verifier.Verify(InvokePath, Headers("v1", token), Now.AddMilliseconds(499)));
        AssertInvalid(verifier.Verify(InvokePath, Headers("v1", token), Now.AddMilliseconds(500)), "expired");
    }

    [Fact]
    public void Verify_UnknownClaimsAndHeaderFields_Ignored()
    {
        var claims = Claims(InvokePath);
        claims["sub"] = "my-object-key";
        claims["iss"] = "restate";
        claims["extra"] = new JsonObject { ["nested"] = new JsonArray(1, 2, new JsonObject()) };
        var header = $$"""{"typ":"JWT","alg":"EdDSA","kid":"{{_signer.PublicKeyId}}","x5t":{"a":[1]},"crit":null}""";
        var token = _signer.SignJson(header, claims.ToJsonString());

        AssertValid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now));
    }

    // ---- Rejected claims ----

    [Fact]
    public void Verify_WrongAudience_RejectedNamingAudienceAndPath()
    {
        var token = _signer.Sign(Claims("/invoke/A/b"));

        var check = Verifier(_signer).Verify("/invoke/A/c", Headers("v1", token), Now);

        AssertInvalid(check, "the JWT audience '/invoke/A/b' does not match the request path '/invoke/A/c'");
    }

    [Fact]
    public void Verify_WrongAudienceOnPrefixedPath_RejectedNamingNormalisedPath()
    {
        var token = _signer.Sign(Claims("/invoke/A/b"));

        var check = Verifier(_signer).Verify("/base/invoke/A/c", Headers("v1", token), Now);

        AssertInvalid(check, "'/base/invoke/A/c' (normalised to '/invoke/A/c')");
    }

    [Fact]
    public void Verify_AudienceIsFullPrefixedPath_Rejected()
    {
        // The server signs the normalised path, so an audience carrying the prefix is not what it would send.
        var token = _signer.Sign(Claims("/base/invoke/A/b"));

        var check = Verifier(_signer).Verify("/base/invoke/A/b", Headers("v1", token), Now);

        AssertInvalid(check, "does not match the request path");
    }

    [Fact]
    public void Verify_AudienceArrayWithoutPath_Rejected()
    {
        var claims = Claims(InvokePath);
        claims["aud"] = new JsonArray("/invoke/A/b", "/discover");
        var token = _signer.Sign(claims);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, "the JWT audience ['/invoke/A/b', '/discover'] does not match");
    }

    [Fact]
    public void Verify_EmptyAudienceArray_Rejected()
    {
        var claims = Claims(InvokePath);
        claims["aud"] = new JsonArray();
        var token = _signer.Sign(claims);

        AssertInvalid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now), "does not match");
    }

    [Fact]
    public void Verify_DiscoverAudienceOnInvokePath_Rejected()
    {
        var token = _signer.Sign(Claims("/discover"));

        AssertInvalid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now), "does not match");
    }

    [Fact]
    public void Verify_NowEqualsExpiry_Rejected()
    {
        var claims = Claims(InvokePath);
        claims["exp"] = Now.ToUnixTimeSeconds();
        var token = _signer.Sign(claims);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, "the JWT expired at 2025-06-15 15:06:40Z (1750000000)");
        Assert.Contains("clocks", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LongExpired_Rejected()
    {
        var claims = Claims(InvokePath);
        claims["exp"] = Now.ToUnixTimeSeconds() - 3600;
        var token = _signer.Sign(claims);

        AssertInvalid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now), "expired");
    }

    [Fact]
    public void Verify_NotBeforeInFuture_Rejected()
    {
        var claims = Claims(InvokePath);
        claims["nbf"] = Now.ToUnixTimeSeconds() + 1;
        var token = _signer.Sign(claims);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, "the JWT is not valid before 2025-06-15 15:06:41Z");
        Assert.Contains("clocks", check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("nbf")]
    public void Verify_MissingRequiredClaim_RejectedNamingClaim(string claim)
    {
        var claims = Claims(InvokePath);
        Assert.True(claims.Remove(claim));
        var token = _signer.Sign(claims);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, $"the JWT is missing the required claim(s) '{claim}'");
    }

    [Fact]
    public void Verify_EmptyClaims_RejectedNamingAllMissingClaims()
    {
        var token = _signer.Sign([]);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, "missing the required claim(s) 'aud', 'exp', 'iat', 'nbf'");
    }

    [Theory]
    [InlineData("exp", "\"1750000060\"")]
    [InlineData("nbf", "null")]
    [InlineData("iat", "true")]
    [InlineData("exp", "{}")]
    public void Verify_NumericDateClaimNotANumber_Rejected(string claim, string valueJson)
    {
        var claims = Claims(InvokePath);
        claims[claim] = JsonNode.Parse(valueJson);
        var token = _signer.Sign(claims);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, $"the JWT claim '{claim}' is not a number");
    }

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[\"/invoke/Greeter/greet\", 1]")]
    [InlineData("{\"path\":\"/invoke/Greeter/greet\"}")]
    public void Verify_AudienceNotStringOrStringArray_Rejected(string audienceJson)
    {
        var claims = Claims(InvokePath);
        claims["aud"] = JsonNode.Parse(audienceJson);
        var token = _signer.Sign(claims);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, "the JWT claim 'aud' is neither a string nor an array of strings");
    }

    // ---- Keys and signatures ----

    [Fact]
    public void Verify_TokenSignedByUnconfiguredKey_Rejected()
    {
        var token = _otherSigner.Sign(Claims(InvokePath));

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, "the JWT signature does not verify with any of the public keys configured");
        Assert.Contains(_otherSigner.PublicKeyId[..40], check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SecondOfTwoConfiguredKeys_Accepted()
    {
        var verifier = RequestIdentityVerifier.Create([_otherSigner.PublicKeyId, _signer.PublicKeyId]);
        var token = _signer.Sign(Claims(InvokePath));

        AssertValid(verifier.Verify(InvokePath, Headers("v1", token), Now));
    }

    [Fact]
    public void Verify_KidNamesAnotherConfiguredKey_StillAcceptedByMatchingKey()
    {
        var verifier = RequestIdentityVerifier.Create([_otherSigner.PublicKeyId, _signer.PublicKeyId]);
        var token = _signer.Sign(Claims(InvokePath), kid: _otherSigner.PublicKeyId);

        AssertValid(verifier.Verify(InvokePath, Headers("v1", token), Now));
    }

    [Fact]
    public void Verify_KidNamesUnknownKey_StillAccepted()
    {
        var token = _signer.Sign(Claims(InvokePath), kid: "publickeyv1_unknown");

        AssertValid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now));
    }

    [Fact]
    public void Verify_NoKid_Accepted()
    {
        var token = _signer.SignJson("""{"typ":"JWT","alg":"EdDSA"}""", Claims(InvokePath).ToJsonString());

        AssertValid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now));
    }

    [Fact]
    public void Verify_TamperedPayload_Rejected()
    {
        var token = _signer.Sign(Claims("/invoke/A/b"));
        var parts = token.Split('.');
        var forgedPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Claims(InvokePath).ToJsonString()));
        var forged = $"{parts[0]}.{forgedPayload}.{parts[2]}";

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", forged), Now);

        AssertInvalid(check, "the JWT signature does not verify");
    }

    [Fact]
    public void Verify_TamperedHeader_Rejected()
    {
        var token = _signer.Sign(Claims(InvokePath));
        var parts = token.Split('.');
        var forgedHeader = Base64Url.EncodeToString("""{"alg":"EdDSA","typ":"JWT"}"""u8);
        var forged = $"{forgedHeader}.{parts[1]}.{parts[2]}";

        AssertInvalid(Verifier(_signer).Verify(InvokePath, Headers("v1", forged), Now), "signature does not verify");
    }

    [Fact]
    public void Verify_FlippedSignatureBit_Rejected()
    {
        var token = _signer.Sign(Claims(InvokePath));
        var parts = token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 0x01;
        var forged = $"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(signature)}";

        AssertInvalid(Verifier(_signer).Verify(InvokePath, Headers("v1", forged), Now), "signature does not verify");
    }

    // ---- Scheme and headers ----

    [Theory]
    [InlineData(null, "has no 'x-restate-signature-scheme' header")]
    [InlineData("unsigned", "the request is unsigned")]
    [InlineData("v2", "the signature scheme 'v2' in the 'x-restate-signature-scheme' header is not supported; expected 'v1'")]
    [InlineData("V1", "the signature scheme 'V1'")]
    [InlineData("", "the signature scheme ''")]
    public void Verify_SchemeNotV1_RejectedNamingProblem(string? scheme, string expected)
    {
        var token = _signer.Sign(Claims(InvokePath));

        var check = Verifier(_signer).Verify(InvokePath, Headers(scheme, token), Now);

        AssertInvalid(check, expected);
    }

    [Fact]
    public void Verify_UnsignedScheme_MessageTellsHowToConfigureServer()
    {
        var check = Verifier(_signer).Verify(InvokePath, Headers("unsigned", null), Now);

        AssertInvalid(check, "request-identity-private-key-pem-file");
    }

    [Fact]
    public void Verify_LongUnknownScheme_EchoIsTruncated()
    {
        var scheme = "v" + new string('9', 500);

        var check = Verifier(_signer).Verify(InvokePath, Headers(scheme, "x"), Now);

        Assert.False(check.IsValid);
        Assert.DoesNotContain(scheme, check.Error, StringComparison.Ordinal);
        Assert.True(check.Error!.Length < 300, check.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Verify_JwtHeaderMissing_Rejected(string? jwt)
    {
        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", jwt), Now);

        AssertInvalid(check, "the request has no 'x-restate-jwt-v1' header");
    }

    // ---- Malformed tokens ----

    [Theory]
    [InlineData("one-part", "it has 1 part(s)")]
    [InlineData("two-parts", "it has 2 part(s)")]
    [InlineData("four-parts", "it has 4 part(s)")]
    [InlineData("bad-base64-header", "the JWT header is not valid base64url")]
    [InlineData("bad-base64-payload", "the JWT payload is not valid base64url")]
    [InlineData("bad-base64-signature", "the JWT signature is not valid base64url")]
    [InlineData("padded-base64", "is not valid base64url")]
    [InlineData("impossible-base64-length", "the JWT payload is not valid base64url")]
    [InlineData("non-json-header", "the JWT header is not valid JSON")]
    [InlineData("array-header", "the JWT header is not a JSON object")]
    [InlineData("empty-header", "the JWT header is not valid JSON")]
    [InlineData("non-json-payload", "the JWT payload is not valid JSON")]
    [InlineData("truncated-json-payload", "the JWT payload is not valid JSON")]
    [InlineData("trailing-data-payload", "the JWT payload is not valid JSON")]
    [InlineData("array-payload", "the JWT payload is not a JSON object")]
    [InlineData("string-payload", "the JWT payload is not a JSON object")]
    [InlineData("alg-hs256", "the JWT algorithm 'HS256' is not supported; expected 'EdDSA'")]
    [InlineData("alg-none", "the JWT algorithm 'none' is not supported")]
    [InlineData("alg-missing", "the JWT header has no 'alg' field")]
    [InlineData("alg-not-string", "the JWT header field 'alg' is not a string")]
    [InlineData("short-signature", "the JWT signature is 63 bytes long")]
    [InlineData("empty-signature", "the JWT signature is 0 bytes long")]
    public void Verify_MalformedToken_RejectedWithoutThrowing(string form, string expected)
    {
        var token = MalformedToken(form);

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, expected);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("e30.e30.")]
    [InlineData("e30.e30.e30")]
    [InlineData("\u00e9.\u00e9.\u00e9")]
    [InlineData("eyJhbGciOiJFZERTQSJ9..")]
    [InlineData("eyJhbGciOiJFZERTQSJ9.e30.AAAA")]
    [InlineData(" eyJhbGciOiJFZERTQSJ9.e30.AAAA ")]
    [InlineData("Bearer eyJhbGciOiJFZERTQSJ9.e30.AAAA")]
    public void Verify_GarbageToken_ReturnsInvalidWithoutThrowing(string token)
    {
        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, "");
    }

    [Fact]
    public void Verify_InvalidUtf8InPayloadString_RejectedWithoutThrowing()
    {
        // {"aud":"<0xFF>"} signed properly: the signature is fine, the JSON text is not valid UTF-8.
        byte[] payload = [.. "{\"aud\":\""u8, 0xFF, .. "\"}"u8];
        var token = _signer.SignEncoded(
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(_signer.HeaderJson())),
            Base64Url.EncodeToString(payload));

        var check = Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now);

        AssertInvalid(check, "the JWT payload is not valid JSON");
    }

    [Fact]
    public void Verify_OversizedToken_Rejected()
    {
        var token = new string('A', 20_000) + ".e30.AAAA";

        AssertInvalid(Verifier(_signer).Verify(InvokePath, Headers("v1", token), Now), "characters long");
    }

    // ---- Create ----

    [Fact]
    public void Create_KeyWithoutPrefix_ThrowsNamingPrefix()
    {
        var key = _signer.PublicKeyId["publickeyv1_".Length..];

        var e = Assert.Throws<ArgumentException>(() => RequestIdentityVerifier.Create([key]));

        Assert.Equal("publicKeys", e.ParamName);
        Assert.Contains("does not start with the 'publickeyv1_' prefix", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(key[..20], e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('0')]
    [InlineData('O')]
    [InlineData('I')]
    [InlineData('l')]
    [InlineData('+')]
    public void Create_KeyWithCharacterOutsideBase58_ThrowsNamingBase58(char bad)
    {
        var key = _signer.PublicKeyId[..^1] + bad;

        var e = Assert.Throws<ArgumentException>(() => RequestIdentityVerifier.Create([key]));

        Assert.Equal("publicKeys", e.ParamName);
        Assert.Contains("is not valid base58", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(1)]
    public void Create_KeyOfWrongLength_ThrowsNamingByteCount(int length)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)0x5A);
        var key = "publickeyv1_" + Base58.Bitcoin.Encode(bytes);

        var e = Assert.Throws<ArgumentException>(() => RequestIdentityVerifier.Create([key]));

        Assert.Equal("publicKeys", e.ParamName);
        Assert.Contains($"it decodes to {length} bytes, but an Ed25519 public key is exactly 32 bytes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_EmptyKey_Throws(string key)
    {
        var e = Assert.Throws<ArgumentException>(() => RequestIdentityVerifier.Create([key]));

        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PrefixOnly_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => RequestIdentityVerifier.Create(["publickeyv1_"]));

        Assert.Contains("nothing follows the 'publickeyv1_' prefix", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadKeyAfterGoodKey_ThrowsNamingBadKey()
    {
        var e = Assert.Throws<ArgumentException>(
            () => RequestIdentityVerifier.Create([_signer.PublicKeyId, "publickeyv2_abc"]));

        Assert.Contains("'publickeyv2_abc'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_KeyWithSurroundingWhitespace_Accepted()
    {
        var verifier = RequestIdentityVerifier.Create([$"  {_signer.PublicKeyId}\n"]);
        var token = _signer.Sign(Claims(InvokePath));

        AssertValid(verifier.Verify(InvokePath, Headers("v1", token), Now));
    }

    [Fact]
    public void Create_NullKeyList_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => RequestIdentityVerifier.Create(null!));
    }

    // ---- Restate's known key pair ----

    [Fact]
    public void KnownTestVector_PublicKeyDerivedFromPkcs8PrivateKey_MatchesRestateKeyString()
    {
        using var key = Key.Import(
            SignatureAlgorithm.Ed25519, Convert.FromBase64String(KnownPrivateKeyPkcs8), KeyBlobFormat.PkixPrivateKey);

        Assert.Equal(KnownPublicKeyId, TestSigner.KeyId(key));
    }

    [Fact]
    public void KnownTestVector_PublicKeyDerivedFromPemPrivateKey_MatchesRestateKeyString()
    {
        var pem = $"-----BEGIN PRIVATE KEY-----\n{KnownPrivateKeyPkcs8}\n-----END PRIVATE KEY-----\n";
        using var key = Key.Import(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPrivateKeyText);

        Assert.Equal(KnownPublicKeyId, TestSigner.KeyId(key));
    }

    [Fact]
    public void KnownTestVector_TokenSignedWithRestatePrivateKey_AcceptedByRestateKeyString()
    {
        using var signer = new TestSigner(Key.Import(
            SignatureAlgorithm.Ed25519, Convert.FromBase64String(KnownPrivateKeyPkcs8), KeyBlobFormat.PkixPrivateKey));
        var verifier = RequestIdentityVerifier.Create([KnownPublicKeyId]);
        var token = signer.Sign(Claims("/discover"));

        AssertValid(verifier.Verify("/discover", Headers("v1", token), Now));
        AssertInvalid(Verifier(_signer).Verify("/discover", Headers("v1", token), Now), "signature does not verify");
    }

    // ---- Path normalisation ----

    [Theory]
    [InlineData("/invoke/Svc/handler", "/invoke/Svc/handler")]
    [InlineData("/base/invoke/Svc/handler", "/invoke/Svc/handler")]
    [InlineData("/a/b/invoke/Svc/handler", "/invoke/Svc/handler")]
    [InlineData("/invoke/invoke/Svc/handler", "/invoke/Svc/handler")]
    [InlineData("/invoke/Svc/discover", "/invoke/Svc/discover")]
    [InlineData("/discover", "/discover")]
    [InlineData("/base/discover", "/discover")]
    [InlineData("/a/b/discover", "/discover")]
    [InlineData("/health", "/health")]
    [InlineData("/invoke/Svc", "/invoke/Svc")]
    [InlineData("/invoke/Svc/handler/extra", "/invoke/Svc/handler/extra")]
    [InlineData("/base/invokeX/Svc/handler", "/base/invokeX/Svc/handler")]
    [InlineData("/base/xinvoke/Svc/handler", "/base/xinvoke/Svc/handler")]
    [InlineData("/invoke//handler", "/invoke//handler")]
    [InlineData("/invoke/Svc/", "/invoke/Svc/")]
    [InlineData("invoke/Svc/handler", "invoke/Svc/handler")]
    [InlineData("/xdiscover", "/xdiscover")]
    [InlineData("/discover/", "/discover/")]
    [InlineData("/", "/")]
    [InlineData("", "")]
    public void NormalizePath_VariousPaths_ReturnsAudienceForm(string path, string expected)
    {
        Assert.Equal(expected, RequestIdentityVerifier.NormalizePath(path));
    }

    // ---- Helpers ----

    private static RequestIdentityVerifier Verifier(TestSigner signer) => RequestIdentityVerifier.Create([signer.PublicKeyId]);

    private static JsonObject Claims(string audience)
    {
        var now = Now.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["aud"] = audience,
            ["iat"] = now - 5,
            ["nbf"] = now - 5,
            ["exp"] = now + 60,
        };
    }

    private static Func<string, string?> Headers(string? scheme, string? jwt)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (scheme is not null)
            headers["x-restate-signature-scheme"] = scheme;
        if (jwt is not null)
            headers["x-restate-jwt-v1"] = jwt;
        return name => headers.GetValueOrDefault(name);
    }

    private static void AssertValid(IdentityCheck check)
    {
        Assert.True(check.IsValid, check.Error);
        Assert.Null(check.Error);
    }

    private static void AssertInvalid(IdentityCheck check, string expectedFragment)
    {
        Assert.False(check.IsValid);
        Assert.NotNull(check.Error);
        Assert.StartsWith(FailurePrefix, check.Error, StringComparison.Ordinal);
        Assert.Contains(expectedFragment, check.Error, StringComparison.Ordinal);
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private string MalformedToken(string form)
    {
        var valid = _signer.Sign(Claims(InvokePath));
        var parts = valid.Split('.');
        var header = parts[0];
        return form switch
        {
            "one-part" => header,
            "two-parts" => $"{parts[0]}.{parts[1]}",
            "four-parts" => valid + "." + parts[2],
            "bad-base64-header" => $"{header}!.{parts[1]}.{parts[2]}",
            "bad-base64-payload" => _signer.SignEncoded(header, "eyJhdWQiOi*"),
            "bad-base64-signature" => $"{parts[0]}.{parts[1]}.{parts[2][..^2]}+/",
            "padded-base64" => $"{parts[0]}.{parts[1]}.{parts[2]}==",
            "impossible-base64-length" => _signer.SignEncoded(header, "eyJhd"),
            "non-json-header" => _signer.SignEncoded(Encode("EdDSA"), parts[1]),
            "array-header" => _signer.SignEncoded(Encode("""["EdDSA"]"""), parts[1]),
            "empty-header" => _signer.SignEncoded("", parts[1]),
            "non-json-payload" => _signer.SignEncoded(header, Encode("aud=/invoke/Greeter/greet")),
            "truncated-json-payload" => _signer.SignEncoded(header, Encode("{\"aud\":\"/invoke/Greeter/greet\",")),
            "trailing-data-payload" => _signer.SignEncoded(header, Encode(Claims(InvokePath).ToJsonString() + " {}")),
            "array-payload" => _signer.SignEncoded(header, Encode("[1,2]")),
            "string-payload" => _signer.SignEncoded(header, Encode("\"claims\"")),
            "alg-hs256" => _signer.SignJson("""{"typ":"JWT","alg":"HS256"}""", Claims(InvokePath).ToJsonString()),
            "alg-none" => $"{Encode("""{"typ":"JWT","alg":"none"}""")}.{parts[1]}.",
            "alg-missing" => _signer.SignJson("""{"typ":"JWT"}""", Claims(InvokePath).ToJsonString()),
            "alg-not-string" => _signer.SignJson("""{"typ":"JWT","alg":["EdDSA"]}""", Claims(InvokePath).ToJsonString()),
            "short-signature" => $"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(Base64Url.DecodeFromChars(parts[2]).AsSpan(0, 63))}",
            "empty-signature" => $"{parts[0]}.{parts[1]}.",
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown malformed-token form."),
        };
    }

    /// <summary>Signs JWTs the way a Restate server does: EdDSA over "base64url(header).base64url(payload)".</summary>
    private sealed class TestSigner(Key key) : IDisposable
    {
        public TestSigner()
            : this(Key.Create(SignatureAlgorithm.Ed25519))
        {
        }

        public string PublicKeyId { get; } = KeyId(key);

        public static string KeyId(Key key) =>
            "publickeyv1_" + Base58.Bitcoin.Encode(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

        public string HeaderJson(string algorithm = "EdDSA", string? kid = null) =>
            new JsonObject { ["typ"] = "JWT", ["alg"] = algorithm, ["kid"] = kid ?? PublicKeyId }.ToJsonString();

        public string Sign(JsonObject claims, string? kid = null) => SignJson(HeaderJson(kid: kid), claims.ToJsonString());

        public string SignJson(string headerJson, string payloadJson) => SignEncoded(Encode(headerJson), Encode(payloadJson));

        public string SignEncoded(string encodedHeader, string encodedPayload)
        {
            var signingInput = $"{encodedHeader}.{encodedPayload}";
            var signature = SignatureAlgorithm.Ed25519.Sign(key, Encoding.ASCII.GetBytes(signingInput));
            return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
        }

        public void Dispose() => key.Dispose();
    }
}
