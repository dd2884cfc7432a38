/**
 * Real parts for tests, reusable from any module: {@link io.strata.testkit.RegistryFixture} (a
 * distribution registry with htpasswd auth on a free loopback port), {@link
 * io.strata.testkit.BuildahFixture} (buildah with private storage, busybox base images and a
 * two-platform index), {@link io.strata.testkit.GitRepoFixture} (JGit repositories cloned over
 * file://), {@link io.strata.testkit.GitHttpServerFixture} (those repositories over git's smart HTTP,
 * behind HTTP Basic auth), {@link io.strata.testkit.YumRepoServerFixture} (.repo files behind Basic
 * auth and a token parameter) and {@link io.strata.testkit.PostgresFixture} (a private PostgreSQL
 * server).
 *
 * <p>Each is a plain {@link java.lang.AutoCloseable}: start it in a {@code @BeforeAll} or a
 * try-with-resources block and close it afterwards. Fixtures only ever stop processes they started
 * (by their own handles) and delete their own temporary directories. Failures to set one up are an
 * unchecked {@link io.strata.testkit.FixtureException} naming the tool and its error output.
 *
 * <p>Facts about the machine they encode: buildah needs {@code --isolation chroot} for RUN steps
 * and a private {@code --root/--runroot} (vfs driver) in tests; Debian's system registry on :5000
 * is ignored; initdb refuses root, so PostgreSQL runs as the "postgres" account via runuser.
 */
package io.strata.testkit;
