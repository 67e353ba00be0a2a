using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Holiday.Domain;
using static Holiday.Data.DynamoDbRecords;

namespace Holiday.Data;

/// <summary>Flight or car bookings in a DynamoDB table (<c>Flights</c> or <c>Cars</c>).</summary>
public sealed class DynamoDbBookingStore(IAmazonDynamoDB client, string tableName) : IBookingStore
{
    private readonly DynamoDbRecords _records = new(client, tableName);

    public Task ReserveAsync(BookingRecord booking, CancellationToken cancellationToken)
    {
        var now = Now();
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = S(booking.TripId),
            ["sk"] = S(booking.BookingId),
            ["trip_id"] = S(booking.TripId),
            ["id"] = S(booking.BookingId),
            ["transaction_status"] = S(TransactionStatus.Pending),
            ["created_at"] = S(now),
            ["updated_at"] = S(now),
        };
        foreach (var (name, value) in booking.Details)
        {
            item[name] = S(value);
        }
        return _records.PutOnceAsync(item, cancellationToken);
    }

    public Task<bool> SetStatusAsync(string tripId, string bookingId, string status, CancellationToken cancellationToken) =>
        _records.SetStatusAsync(tripId, bookingId, status, cancellationToken);
}

/// <summary>Payments in the <c>Payments</c> table.</summary>
public sealed class DynamoDbPaymentStore(IAmazonDynamoDB client, string tableName) : IPaymentStore
{
    private readonly DynamoDbRecords _records = new(client, tableName);

    public Task ChargeAsync(string tripId, string paymentId, CancellationToken cancellationToken)
    {
        var now = Now();
        return _records.PutOnceAsync(new Dictionary<string, AttributeValue>
        {
            ["pk"] = S(tripId),
            ["sk"] = S(paymentId),
            ["trip_id"] = S(tripId),
            ["id"] = S(paymentId),
            ["amount"] = S("750.00"),
            ["currency"] = S("USD"),
            ["transaction_status"] = S(TransactionStatus.Charged),
            ["created_at"] = S(now),
            ["updated_at"] = S(now),
        }, cancellationToken);
    }

    public Task<bool> RefundAsync(string tripId, string paymentId, CancellationToken cancellationToken) =>
        _records.SetStatusAsync(tripId, paymentId, TransactionStatus.Refunded, cancellationToken);
}

/// <summary>Trip outcomes in the <c>Trips</c> table, keyed by trip id.</summary>
public sealed class DynamoDbTripStore(IAmazonDynamoDB client, string tableName) : ITripStore
{
    public async Task RecordAsync(TripOutcome outcome, CancellationToken cancellationToken)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = S(outcome.TripId),
            ["trip_id"] = S(outcome.TripId),
            ["status"] = S(outcome.Booked ? "booked" : "failed"),
            ["message"] = S(outcome.Message),
            ["updated_at"] = S(Now()),
        };
        AddIfPresent(item, "flight_booking_id", outcome.FlightBookingId);
        AddIfPresent(item, "car_booking_id", outcome.CarBookingId);
        AddIfPresent(item, "payment_id", outcome.PaymentId);
        await client.PutItemAsync(new PutItemRequest { TableName = tableName, Item = item }, cancellationToken).ConfigureAwait(false);
    }

    private static void AddIfPresent(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = S(value);
        }
    }
}
