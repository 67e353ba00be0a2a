using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Holiday.Data;

/// <summary>
/// The two idempotent writes every Holiday table needs: insert once (keyed by ids journaled before the write), and
/// change the status of an existing record. Items are keyed <c>pk</c> (trip id) + <c>sk</c> (booking or payment id).
/// </summary>
internal sealed class DynamoDbRecords(IAmazonDynamoDB client, string tableName)
{
    /// <summary>Puts the item unless one with its key exists (then an earlier attempt already wrote it).</summary>
    public async Task PutOnceAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = item,
                ConditionExpression = "attribute_not_exists(pk)",
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // The key is made of journaled ids, so an existing item is this step's own earlier write.
        }
    }

    /// <summary>Sets <c>transaction_status</c> of an existing item; false when the item does not exist.</summary>
    public async Task<bool> SetStatusAsync(string pk, string sk, string status, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = new Dictionary<string, AttributeValue> { ["pk"] = S(pk), ["sk"] = S(sk) },
                UpdateExpression = "SET transaction_status = :status, updated_at = :now",
                ConditionExpression = "attribute_exists(pk)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":status"] = S(status),
                    [":now"] = S(Now()),
                },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public static AttributeValue S(string value) => new() { S = value };

    public static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
