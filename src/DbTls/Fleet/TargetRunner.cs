using DbTls.Reports;

namespace DbTls.Fleet;

/// <summary>
/// Checks one target. The fleet runner knows nothing of what a check is: <see cref="FleetCheck"/> runs
/// <c>dbtls check</c>; a scan plugs in its own runner the same way. <paramref name="timeout"/> is the limit the runner
/// chose for this target; the delegate should honour it and must honour <paramref name="cancellationToken"/>.
/// </summary>
public delegate Task<CheckReport> TargetRunner(FleetTarget target, TimeSpan? timeout, CancellationToken cancellationToken);
