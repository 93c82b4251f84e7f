package io.echolot.alert;

import java.util.List;

/**
 * What makes up a spike or burst: the drivers (highest score first), the posts that reached most
 * accounts, the share of mentions whose author was not seen for the key before, and the share of
 * coordinated mentions (low-follower accounts posting the same shared URL or near-identical text
 * within the alert's windows); both shares are NaN where not measured (emerging topics).
 *
 * @param mentions the mentions the drivers were computed from (for a negative burst: the negative
 *     ones)
 * @param baselineMentions the (decayed) mentions of the baseline; small means a young baseline
 */
public record AlertDrivers(
        List<Driver> drivers,
        List<ReachPost> topReach,
        long mentions,
        double baselineMentions,
        double firstTimeAuthorShare,
        double coordinatedShare) {}
