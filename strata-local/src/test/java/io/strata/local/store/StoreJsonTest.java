package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.strata.core.build.BuildId;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.RpmComponent;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.StoreException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON text kept in the database is a storage format: these pin it down. */
class StoreJsonTest {
    private static final BuildId ID = new BuildId("20261122-100000-abcdef");
    private final StoreJson json = new StoreJson();

    @Test
    void requestIsStoredInSnakeCaseAndReadsBack() throws StoreException {
        BuildRequest request = BuildRequest.builder().component("hello").gitUri("file:///srv/git/hello")
                .gitRef("main").platforms(List.of("x86_64")).kojiTaskId(7L).build();

        String stored = json.request(request);

        assertThat(stored).isEqualTo("{\"component\":\"hello\",\"git_uri\":\"file:///srv/git/hello\","
                + "\"git_ref\":\"main\",\"git_branch\":null,\"dockerfile_path\":\"Dockerfile\",\"target\":null,"
                + "\"platforms\":[\"x86_64\"],\"scratch\":false,\"isolated\":false,\"release\":null,"
                + "\"yum_repo_urls\":[],\"labels\":{},\"build_args\":{},\"user\":null,\"koji_task_id\":7,\"priority\":0,"
                + "\"network_policy\":null,\"no_cache\":false}");
        assertThat(json.request(ID, stored)).isEqualTo(request);
    }

    @Test
    void aRequestStoredBeforeNetworkPoliciesReadsBackWithoutOne() throws StoreException {
        String old = "{\"component\":\"hello\",\"git_uri\":\"file:///srv/git/hello\",\"git_ref\":\"main\",\"priority\":0}";

        assertThat(json.request(ID, old).networkPolicy()).isNull();
        assertThat(json.request(ID, old).noCache()).isFalse();
        assertThat(json.request(ID, json.request(BuildRequest.builder().component("c").networkPolicy("none").build()))
                .networkPolicy()).isEqualTo("none");
    }

    @Test
    void configSnapshotIsSortedByKey() throws StoreException {
        String stored = json.config(Map.of("vendor", "Example", "registry_uri", "127.0.0.1:5000", "arch", "x86_64"));

        assertThat(stored).isEqualTo("{\"arch\":\"x86_64\",\"registry_uri\":\"127.0.0.1:5000\",\"vendor\":\"Example\"}");
        assertThat(json.config(ID, stored))
                .isEqualTo(Map.of("vendor", "Example", "registry_uri", "127.0.0.1:5000", "arch", "x86_64"));
    }

    @Test
    void outputKeepsItsFieldsAndNotItsDerivedPullspec() throws StoreException {
        ImageOutput output = new ImageOutput("x86_64", "127.0.0.1:5000/hello", "sha256:111", List.of("hello:1"), 10L,
                List.of("sha256:aaa"), List.of(new RpmComponent("bash", "5.2", "1", "x86_64", "abcd", "")),
                Map.of("name", "hello"), Map.of("busybox", "busybox@sha256:ccc"));

        String stored = json.output(output);

        assertThat(stored).isEqualTo("{\"platform\":\"x86_64\",\"repository\":\"127.0.0.1:5000/hello\","
                + "\"digest\":\"sha256:111\",\"tags\":[\"hello:1\"],\"size_bytes\":10,\"layer_digests\":[\"sha256:aaa\"],"
                + "\"components\":[{\"name\":\"bash\",\"version\":\"5.2\",\"release\":\"1\",\"arch\":\"x86_64\","
                + "\"sigmd5\":\"abcd\",\"epoch\":\"\"}],\"labels\":{\"name\":\"hello\"},"
                + "\"parent_images\":{\"busybox\":\"busybox@sha256:ccc\"},\"attestations\":[]}");
        assertThat(json.output(ID, stored)).isEqualTo(output);
        // Records stored before attestations existed read back with none.
        assertThat(json.output(ID, stored.replace(",\"attestations\":[]", "")).attestations()).isEmpty();
    }

    @Test
    void fieldsFromANewerStrataAreIgnored() throws StoreException {
        String stored = "{\"component\":\"hello\",\"git_uri\":\"file:///g\",\"git_ref\":\"main\",\"added_later\":true}";

        assertThat(json.request(ID, stored).component()).isEqualTo("hello");
    }

    @Test
    void unreadableDocumentsAreReportedAsCorrupt() {
        assertThatExceptionOfType(StoreException.class)
                .isThrownBy(() -> json.request(ID, "{not json"))
                .satisfies(corrupt -> assertThat(corrupt.reason()).isEqualTo("STORE_CORRUPT"))
                .withMessageStartingWith("the stored request of build 20261122-100000-abcdef cannot be read: ");
    }
}
