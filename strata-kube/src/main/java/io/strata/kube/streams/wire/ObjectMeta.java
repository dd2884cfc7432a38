package io.strata.kube.streams.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Object metadata; empty parts are left out of the YAML (a pod template only has labels). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {

    public ObjectMeta {
        labels = ordered(labels);
        annotations = ordered(annotations);
    }

    public static ObjectMeta labelsOnly(Map<String, String> labels) {
        return new ObjectMeta(null, null, labels, Map.of());
    }

    private static Map<String, String> ordered(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
