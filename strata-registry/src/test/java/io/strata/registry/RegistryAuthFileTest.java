package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryAuthFileTest {
    private static final String SECRET = "s3cret-Passw0rd";

    @TempDir
    Path dir;

    @Test
    void readsBase64AuthAndUsernamePasswordEntries() throws Exception {
        Path file = write("auth.json", """
                {"auths": {
                  "quay.io": {"auth": "%s"},
                  "registry.example.com:5000": {"username": "robot", "password": "%s"}
                }}""".formatted(base64("builder:" + SECRET), SECRET));

        RegistryAuthFile auth = RegistryAuthFile.load(file);

        assertThat(auth.credentialsFor("quay.io")).contains(new Credentials("builder", SECRET));
        assertThat(auth.credentialsFor("registry.example.com:5000")).contains(new Credentials("robot", SECRET));
        assertThat(auth.credentialsFor("registry.example.com")).isEmpty();
        assertThat(auth.source()).contains(file);
    }

    @Test
    void readsAuthHeldInMemoryNamingItsOriginAndNeverTheSecretWhenMalformed() throws Exception {
        RegistryAuthFile auth = RegistryAuthFile.fromJson("{\"auths\":{\"quay.io\":{\"auth\":\"" + base64("builder:" + SECRET) + "\"}}}",
                "Secret ns/push");

        assertThat(auth.credentialsFor("quay.io")).contains(new Credentials("builder", SECRET));
        assertThat(auth.describe()).isEqualTo("Secret ns/push");
        assertThatThrownBy(() -> RegistryAuthFile.fromJson("{\"auths\": " + SECRET + "}", "Secret ns/push"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("Secret ns/push").hasMessageNotContaining(SECRET);
    }

    @Test
    void passwordsMayContainColons() throws Exception {
        Path file = write("auth.json", "{\"auths\":{\"quay.io\":{\"auth\":\"" + base64("u:pa:ss") + "\"}}}");

        assertThat(RegistryAuthFile.load(file).credentialsFor("quay.io")).contains(new Credentials("u", "pa:ss"));
    }

    @ParameterizedTest(name = "key {0} serves {1}")
    @CsvSource({
            "https://index.docker.io/v1/,    docker.io/library/busybox",
            "index.docker.io,                docker.io/library/busybox",
            "registry-1.docker.io,           docker.io/team/app",
            "docker.io,                      docker.io/team/app",
            "https://quay.io,                quay.io/team/app",
            "http://127.0.0.1:5000/v2/,      127.0.0.1:5000/app",
            "quay.io/team,                   quay.io/team/app",
            "quay.io/team/app,               quay.io/team/app:1",
            "quay.io/,                       quay.io/team/app"})
    void matchesKeysTheWayDockerAndPodmanWriteThem(String key, String image) throws Exception {
        Path file = write("auth.json", "{\"auths\":{\"" + key + "\":{\"auth\":\"" + base64("u:p") + "\"}}}");

        assertThat(RegistryAuthFile.load(file).credentialsFor(ImageReference.parse(image))).contains(new Credentials("u", "p"));
    }

    @Test
    void theMostSpecificRepositoryKeyWins() throws Exception {
        Path file = write("auth.json", """
                {"auths": {
                  "quay.io": {"auth": "%s"},
                  "quay.io/team": {"auth": "%s"}
                }}""".formatted(base64("host:1"), base64("team:2")));
        RegistryAuthFile auth = RegistryAuthFile.load(file);

        assertThat(auth.credentialsFor(ImageReference.parse("quay.io/team/app"))).contains(new Credentials("team", "2"));
        assertThat(auth.credentialsFor(ImageReference.parse("quay.io/teamwork/app"))).contains(new Credentials("host", "1"));
        assertThat(auth.credentialsFor(ImageReference.parse("quay.io/other"))).contains(new Credentials("host", "1"));
        assertThat(auth.credentialsFor("quay.io")).contains(new Credentials("host", "1"));
    }

    @Test
    void entriesLeftToCredentialHelpersAndFilesWithoutAuthsHaveNoCredentials() throws Exception {
        Path helper = write("config.json", "{\"auths\":{\"quay.io\":{}},\"credsStore\":\"desktop\"}");
        Path bare = write("bare.json", "{\"credHelpers\":{\"gcr.io\":\"gcloud\"}}");

        assertThat(RegistryAuthFile.load(helper).credentialsFor("quay.io")).isEmpty();
        assertThat(RegistryAuthFile.load(bare).credentialsFor("gcr.io")).isEmpty();
    }

    static Stream<Arguments> malformedFiles() {
        return Stream.of(
                Arguments.of("{\"auths\": ", ":1: not valid JSON near column 11"),
                // Trailing text after the object: a botched hand edit, not something to ignore.
                Arguments.of("{\n\"auths\": {\"quay.io\": {}}},", ":2: not valid JSON near column 26"),
                Arguments.of("[]", ": the top level must be a JSON object with an \"auths\" member"),
                Arguments.of("{\"auths\": []}", ": \"auths\" must be an object mapping registry to credentials"),
                Arguments.of("{\"auths\": {\"quay.io\": \"abc\"}}",
                        ": auths.\"quay.io\" must be an object with \"auth\" or \"username\"/\"password\""),
                Arguments.of("{\"auths\": {\"quay.io\": {\"auth\": \"%%s3cret\"}}}", ": auths.\"quay.io\".auth is not valid base64"),
                Arguments.of("{\"auths\": {\"quay.io\": {\"auth\": \"czNjcmV0\"}}}",
                        ": auths.\"quay.io\".auth must be the base64 of \"username:password\""),
                Arguments.of("{\"auths\": {\"quay.io\": {\"password\": \"s3cret\"}}}",
                        ": auths.\"quay.io\" has a password but no username"),
                Arguments.of("{\"auths\": {\"quay.io\": {\"username\": \"u\"}}}",
                        ": auths.\"quay.io\" has a username but no password"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformedFiles")
    void malformedFilesNameTheFileAndTheProblemButNeverTheSecret(String content, String expectedAfterPath) throws Exception {
        Path file = write("auth.json", content);

        assertThatThrownBy(() -> RegistryAuthFile.load(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.REGISTRY_AUTH_FILE_INVALID);
                    assertThat(e.getMessage()).isEqualTo("registry auth file " + file + expectedAfterPath);
                    assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("czNjcmV0");
                    assertThat(e.hint()).isEqualTo("fix the file by hand, or rewrite it with 'skopeo login --authfile "
                            + file + " <registry>'; point $REGISTRY_AUTH_FILE elsewhere to use another file");
                });
    }

    @Test
    void aMissingFileIsAnError() {
        Path missing = dir.resolve("nope.json");

        assertThatThrownBy(() -> RegistryAuthFile.load(missing))
                .isInstanceOf(RegistryException.class)
                .hasMessage("registry auth file " + missing + ": the file does not exist");
    }

    @Test
    void toStringNamesTheFileButNoCredentials() throws Exception {
        Path file = write("auth.json", "{\"auths\":{\"quay.io\":{\"auth\":\"" + base64("builder:" + SECRET) + "\"}}}");

        assertThat(RegistryAuthFile.load(file)).hasToString("RegistryAuthFile[" + file + ", 1 entries]");
        assertThat(RegistryAuthFile.none()).hasToString("RegistryAuthFile[no registry auth file, 0 entries]");
    }

    @Test
    void defaultLocationPrefersRegistryAuthFileEvenWhenItDoesNotExistYet() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        write("home/.docker/config.json", "{}");
        write("run/containers/auth.json", "{}");
        Path explicit = dir.resolve("explicit.json");

        assertThat(RegistryAuthFile.defaultLocation(
                Map.of("REGISTRY_AUTH_FILE", explicit.toString(), "XDG_RUNTIME_DIR", dir.resolve("run").toString()), home))
                .contains(explicit);
    }

    @Test
    void defaultLocationThenTriesPodmansThenDockersFile() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", runtime.toString(), "REGISTRY_AUTH_FILE", "");

        assertThat(RegistryAuthFile.defaultLocation(env, home)).isEmpty();

        Path docker = write("home/.docker/config.json", "{}");
        assertThat(RegistryAuthFile.defaultLocation(env, home)).contains(docker);

        Path podman = write("run/containers/auth.json", "{}");
        assertThat(RegistryAuthFile.defaultLocation(env, home)).contains(podman);
        assertThat(RegistryAuthFile.defaultLocation(Map.of(), home)).contains(docker);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://index.docker.io/v1/, docker.io",
            "http://quay.io/v2/,          quay.io",
            "quay.io/team/app/,           quay.io/team/app",
            "registry-1.docker.io/team,   docker.io/team",
            "127.0.0.1:5000,              127.0.0.1:5000"})
    void normalisesKeys(String key, String expected) {
        assertThat(RegistryAuthFile.normaliseKey(key)).isEqualTo(expected);
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noneHasNoSourceAndNoCredentials() {
        assertThat(RegistryAuthFile.none().source()).isEqualTo(Optional.empty());
        assertThat(RegistryAuthFile.none().credentialsFor("quay.io")).isEmpty();
    }
}
