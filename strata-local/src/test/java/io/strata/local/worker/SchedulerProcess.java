package io.strata.local.worker;

import io.strata.core.build.BuildRecord;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.store.ConcurrencyLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A process that runs the build queue as {@code strata serve} will, for {@link SchedulerCrashIT}:
 * {@code SchedulerProcess HOME SUBMIT CONCURRENCY until-empty|forever [KEY=VALUE ...]} opens the
 * service on the store under HOME with the configuration keys given, submits SUBMIT builds
 * (printing {@code submitted ID} after each commit; {@code git_uri}, {@code git_ref} and
 * {@code base_image} say what they build), starts the scheduler and prints {@code ready}; then
 * it runs until killed, or with {@code until-empty} until the queue is empty, and exits 0.
 */
public final class SchedulerProcess {
    private SchedulerProcess() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int submit = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        boolean untilEmpty = args[3].equals("until-empty");
        Map<String, String> build = new HashMap<>(Map.of("git_uri", "https://git.example.com/load.git", "git_ref", "main"));
        ConfigSource source = new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                home.resolve("no-osbs.conf"), home)
                .withOverride("strata_home", home.toString())
                .withOverride("strata_build_attempts", "3");
        for (int i = 4; i < args.length; i++) {
            String key = args[i].substring(0, args[i].indexOf('='));
            String value = args[i].substring(key.length() + 1);
            if (key.equals("git_uri") || key.equals("git_ref") || key.equals("base_image")) {
                build.put(key, value);
            } else {
                source = source.withOverride(key, value);
            }
        }
        Configuration config = ConfigLoader.load(source).config();
        try (LocalServices services = LocalServices.open(config, LocalServices.buildahOptions(config), System.err)) {
            for (int i = 0; i < submit; i++) {
                BuildRequest.Builder request = BuildRequest.builder().component("load-" + (build.containsKey("base_image") ? 0 : i))
                        .gitUri(build.get("git_uri")).gitRef(build.get("git_ref")).priority(i % 3);
                if (build.containsKey("base_image")) {
                    request.buildArgs(Map.of("BASE_IMAGE", build.get("base_image")));
                }
                BuildRecord record = services.builds().submit(BuildSubmission.of(request.build()), Caller.user("load"));
                System.out.println("submitted " + record.id());
                System.out.flush();
            }
            services.startScheduler(new QueueScheduler.Settings(new ConcurrencyLimits(concurrency, Map.of()),
                    Duration.ofHours(3), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(5)));
            System.out.println("ready");
            System.out.flush();
            while (!untilEmpty || !services.store().queue().isEmpty()) {
                Thread.sleep(200);
            }
        }
    }
}
