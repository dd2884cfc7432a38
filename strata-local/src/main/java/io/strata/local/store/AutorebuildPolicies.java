package io.strata.local.store;

import io.strata.core.StrataException;
import io.strata.core.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which components are rebuilt when a parent image changes (table {@code autorebuild_policies},
 * docs/builds.md "Autorebuild"): one row per component and git branch. Every process opening the
 * store sees the same policies, so {@code strata autorebuild enable} works while {@code strata serve}
 * runs. Obtain one from {@link JdbcBuildStore#autorebuilds()}.
 */
public final class AutorebuildPolicies {
    /** One registered policy. */
    public record Policy(String component, String gitBranch, Optional<String> enabledBy, Instant enabledAt) {}

    private final JdbcBuildStore store;
    private final Clock clock;

    AutorebuildPolicies(JdbcBuildStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Registers the policy; enabling it again changes nothing. Returns false when it existed already. */
    public boolean enable(String component, String gitBranch, Optional<String> by) throws StrataException {
        requireName("component", component);
        requireName("git branch", gitBranch);
        Instant now = Timestamps.stored(clock.instant());
        return store.write("enable autorebuild of " + component + " on " + gitBranch, connection -> {
            if (Sql.first(connection, "SELECT 1 FROM autorebuild_policies WHERE component = ? AND git_branch = ?",
                    row -> true, component, gitBranch).isPresent()) {
                return false;
            }
            Sql.update(connection, "INSERT INTO autorebuild_policies (component, git_branch, enabled_by, enabled_at)"
                    + " VALUES (?, ?, ?, ?)", component, gitBranch, by.orElse(null), now);
            return true;
        });
    }

    /** Removes the policy; false when there was none. */
    public boolean disable(String component, String gitBranch) throws StoreException {
        return store.write("disable autorebuild of " + component + " on " + gitBranch, connection -> Sql.update(connection,
                "DELETE FROM autorebuild_policies WHERE component = ? AND git_branch = ?", component, gitBranch) > 0);
    }

    /** Every policy, by component and branch. */
    public List<Policy> list() throws StoreException {
        return store.readOnly("list autorebuild policies", connection -> Sql.list(connection,
                "SELECT component, git_branch, enabled_by, enabled_at FROM autorebuild_policies ORDER BY component, git_branch",
                row -> new Policy(row.getString("component"), row.getString("git_branch"),
                        Optional.ofNullable(row.getString("enabled_by")), Timestamps.get(row, "enabled_at"))));
    }

    private static void requireName(String what, String value) throws StrataException {
        if (value == null || value.isBlank() || value.length() > 255) {
            throw new StrataException("AUTOREBUILD_POLICY_INVALID", "an autorebuild policy needs a " + what
                    + " of 1 to 255 characters, not '" + (value == null ? "" : value) + "'",
                    "pass --component NAME --git-branch BRANCH, as the component's builds were submitted");
        }
    }
}
