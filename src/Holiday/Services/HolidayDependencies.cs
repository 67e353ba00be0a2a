using Holiday.Data;

namespace Holiday.Services;

/// <summary>What the Holiday services need from the outside world; <see cref="HolidayRegistration"/> hands its parts to them.</summary>
public sealed record HolidayDependencies(IBookingStore Flights, IBookingStore Cars, IPaymentStore Payments, ITripStore Trips, INotifier Notifier);
