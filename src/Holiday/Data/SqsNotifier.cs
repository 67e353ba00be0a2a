using Amazon.SQS;
using Amazon.SQS.Model;

namespace Holiday.Data;

/// <summary>Sends the traveller notification to an SQS queue (the original published to SNS; the contract in docs/holiday-contract.md names SQS).</summary>
public sealed class SqsNotifier(IAmazonSQS client, string queueUrl) : INotifier
{
    public async Task PublishAsync(string tripId, string message, CancellationToken cancellationToken) =>
        await client.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = message,
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                ["trip_id"] = new() { DataType = "String", StringValue = tripId },
            },
        }, cancellationToken).ConfigureAwait(false);
}
