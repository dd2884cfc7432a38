package io.strata.local.worker;

import io.strata.core.build.BuildRecord;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.store.ConcurrencyLimits;
import io.strata.local.buildah.BuildahOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A process that runs the build queue as {@code strata serve} will, for {@link SchedulerCrashIT}:
 * {@code SchedulerProcess HOME SUBMIT DELAY CONCURRENCY [until-empty]} opens the dry-run service on
 * the store under HOME, submits SUBMIT builds (printing {@code submitted ID} after each commit),
 * starts the scheduler and prints {@code ready}; it then runs until killed, or with
 * {@code until-empty} until the queue is empty, and exits 0.
 */
public final class SchedulerProcess {
    private SchedulerProcess() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int submit = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[3]);
        Configuration config = ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                home.resolve("no-osbs.conf"), home)
                .withOverride("strata_home", home.toString())
                .withOverride("strata_engine", "dry-run")
                .withOverride("strata_dry_run_delay", args[2])
                .withOverride("strata_build_attempts", "3")).config();
        try (LocalServices services = LocalServices.open(config, BuildahOptions.systemDefault(), System.err)) {
            for (int i = 0; i < submit; i++) {
                BuildRecord record = services.builds().submit(BuildSubmission.of(BuildRequest.builder()
                        .component("load-" + i).gitUri("https://git.example.com/load.git").gitRef("main")
                        .priority(i % 3).build()), Caller.user("load"));
                System.out.println("submitted " + record.id());
                System.out.flush();
            }
            services.startScheduler(new QueueScheduler.Settings(new ConcurrencyLimits(concurrency, Map.of()),
                    Duration.ofHours(3), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(5)));
            System.out.println("ready");
            System.out.flush();
            while (args.length < 5 || !services.store().queue().isEmpty()) {
                Thread.sleep(200);
            }
        }
    }
}
