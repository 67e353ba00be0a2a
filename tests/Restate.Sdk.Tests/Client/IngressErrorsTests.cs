using System.Text;
using Restate.Sdk.Client;

namespace Restate.Sdk.Tests.Client;

/// <summary>
/// How a failed ingress answer becomes an exception. The answers are those restate-server 1.7.12 sends (both the
/// <c>x-restate-error-source</c> header and the body's <c>source</c> field), and those of servers or proxies that
/// send only one of them or neither.
/// </summary>
public sealed class IngressErrorsTests
{
    private static ReadOnlyMemory<byte> Body(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void HandlerTerminalFailure_WithHeaderAndField_IsAPlainTerminalExceptionWithItsCodeEvenA503()
    {
        var error = IngressErrors.ToException(503, "Service Unavailable", "invocation",
            Body("""{"code":503,"message":"out of rooms","metadata":{"reason":"full"},"source":"invocation"}"""));

        Assert.IsType<TerminalException>(error, exactMatch: true);
        Assert.Equal((503, "out of rooms", "full"), (error.Code, error.Message, error.Metadata["reason"]));
    }

    [Fact]
    public void IngressRefusal_WithHeaderAndField_IsARestateIngressExceptionThatRetryingDoesNotFix()
    {
        var error = IngressErrors.ToException(404, "Not Found", "ingress",
            Body("""{"code":404,"message":"service 'Nope' not found, make sure to register the service before calling it.","source":"ingress"}"""));

        var ingress = Assert.IsType<RestateIngressException>(error);
        Assert.Equal(404, ingress.Code);
        Assert.StartsWith("service 'Nope' not found", ingress.Message, StringComparison.Ordinal);
        Assert.False(ingress.IsTransient);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(405, false)]
    [InlineData(413, false)]
    [InlineData(500, false)]
    public void IngressFailure_IsTransientOnlyForTheStatusesATryLaterCanFix(int status, bool transient)
    {
        var error = IngressErrors.ToException(status, null, "ingress", Body($$"""{"code":{{status}},"message":"m","source":"ingress"}"""));

        Assert.Equal(transient, Assert.IsType<RestateIngressException>(error).IsTransient);
    }

    [Fact]
    public void HeaderOnly_WithABodyThatIsNotJson_TakesTheSourceFromTheHeaderAndTheBodyAsMessage()
    {
        var ingress = IngressErrors.ToException(503, "Service Unavailable", "ingress", Body("overloaded, try later"));
        var invocation = IngressErrors.ToException(503, "Service Unavailable", "invocation", Body("""{"code":503,"message":"full"}"""));

        Assert.Equal(("overloaded, try later", true), (ingress.Message, Assert.IsType<RestateIngressException>(ingress).IsTransient));
        Assert.IsType<TerminalException>(invocation, exactMatch: true);
    }

    [Fact]
    public void BodyFieldOnly_WithoutTheHeader_TakesTheSourceFromTheField()
    {
        var ingress = IngressErrors.ToException(400, "Bad Request", null, Body("""{"code":400,"message":"the invoked service is not public","source":"ingress"}"""));
        var invocation = IngressErrors.ToException(400, "Bad Request", null, Body("""{"code":400,"message":"bad card","source":"invocation"}"""));

        Assert.Equal(("the invoked service is not public", 400), (ingress.Message, Assert.IsType<RestateIngressException>(ingress).Code));
        Assert.Equal(("bad card", 400), (invocation.Message, Assert.IsType<TerminalException>(invocation, exactMatch: true).Code));
    }

    [Fact]
    public void HeaderAndFieldDisagree_TheHeaderWins()
    {
        var error = IngressErrors.ToException(404, null, "invocation", Body("""{"code":404,"message":"not found","source":"ingress"}"""));

        Assert.IsType<TerminalException>(error, exactMatch: true);
    }

    [Theory]
    [InlineData("""{"code":404,"message":"service 'Nope' not found"}""", "service 'Nope' not found")]
    [InlineData("upstream connect error", "upstream connect error")]
    [InlineData("", "The Restate ingress answered 503 Service Unavailable")]
    public void NeitherHeaderNorField_AsFromOlderServers_IsAPlainTerminalExceptionAsBefore(string body, string message)
    {
        var error = IngressErrors.ToException(body.Length == 0 ? 503 : 404, body.Length == 0 ? "Service Unavailable" : "Not Found", null, Body(body));

        Assert.IsType<TerminalException>(error, exactMatch: true);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("something-new")]
    public void UnknownOrEmptySourceValues_AreNotTakenForTheIngress(string header)
    {
        var error = IngressErrors.ToException(503, null, header, Body("""{"code":503,"message":"m","source":"something-else"}"""));

        Assert.IsType<TerminalException>(error, exactMatch: true);
    }
}
