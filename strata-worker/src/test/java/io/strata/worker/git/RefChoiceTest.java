package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.Test;

class RefChoiceTest {
    private static final ObjectId MAIN = ObjectId.fromString("1111111111111111111111111111111111111111");
    private static final ObjectId TAG_OBJECT = ObjectId.fromString("2222222222222222222222222222222222222222");
    private static final ObjectId TAGGED = ObjectId.fromString("3333333333333333333333333333333333333333");
    private static final ObjectId FEATURE = ObjectId.fromString("1111aaaa11111111111111111111111111111111");

    private static final Map<String, Ref> ADVERTISED = Map.of(
            "refs/heads/main", new ObjectIdRef.PeeledNonTag(Ref.Storage.NETWORK, "refs/heads/main", MAIN),
            "refs/heads/feature", new ObjectIdRef.PeeledNonTag(Ref.Storage.NETWORK, "refs/heads/feature", FEATURE),
            "refs/tags/v1", new ObjectIdRef.PeeledTag(Ref.Storage.NETWORK, "refs/tags/v1", TAG_OBJECT, TAGGED),
            "refs/tags/main", new ObjectIdRef.PeeledNonTag(Ref.Storage.NETWORK, "refs/tags/main", TAGGED));

    @Test
    void namesResolveInGitsOrderBranchBeforeTag() {
        assertThat(RefChoice.choose("main", ADVERTISED)).isEqualTo(new RefChoice.Tip("refs/heads/main", MAIN));
        assertThat(RefChoice.choose("origin/feature", ADVERTISED)).isEqualTo(new RefChoice.Tip("refs/heads/feature", FEATURE));
        assertThat(RefChoice.choose("refs/tags/main", ADVERTISED)).isEqualTo(new RefChoice.Tip("refs/tags/main", TAGGED));
        assertThat(RefChoice.choose("v1", ADVERTISED)).isEqualTo(new RefChoice.Tip("refs/tags/v1", TAG_OBJECT));
    }

    @Test
    void idsFullAbbreviatedAmbiguousAndUnknown() {
        String unknown = "4444444444444444444444444444444444444444";
        assertThat(RefChoice.choose(unknown.toUpperCase(), ADVERTISED)).isEqualTo(new RefChoice.Commit(ObjectId.fromString(unknown)));
        // an abbreviation of an advertised tip (an annotated tag's commit counts) is that commit
        assertThat(RefChoice.choose("33333333", ADVERTISED)).isEqualTo(new RefChoice.Commit(TAGGED));
        assertThat(RefChoice.choose("1111", ADVERTISED)).isEqualTo(new RefChoice.Ambiguous(2));
        assertThat(RefChoice.choose("abcdef12", ADVERTISED)).isInstanceOf(RefChoice.Abbreviated.class);
        assertThat(RefChoice.choose("no-such-tag", ADVERTISED)).isEqualTo(new RefChoice.Missing());
        assertThat(RefChoice.choose("abc", ADVERTISED)).as("too short for an id").isEqualTo(new RefChoice.Missing());
    }
}
