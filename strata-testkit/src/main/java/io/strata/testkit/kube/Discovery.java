package io.strata.testkit.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * API discovery for the mock API server, which serves none: {@code /api}, {@code /apis} and one
 * resource list per group version, for the kinds a Strata test needs, so that {@code kubectl}
 * (which maps every kind through discovery, even in a client-side dry run) can work against it.
 */
final class Discovery {
    /** group/version -> kind -> (plural, namespaced). */
    private static final Map<String, Map<String, String>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("v1", Map.of("Pod", "pods", "ConfigMap", "configmaps", "Secret", "secrets", "Service", "services",
                "ServiceAccount", "serviceaccounts", "Namespace", "namespaces", "Node", "nodes", "Event", "events",
                "PersistentVolumeClaim", "persistentvolumeclaims"));
        KINDS.put("apps/v1", Map.of("Deployment", "deployments", "DaemonSet", "daemonsets", "StatefulSet", "statefulsets"));
        KINDS.put("rbac.authorization.k8s.io/v1", Map.of("Role", "roles", "RoleBinding", "rolebindings", "ClusterRole", "clusterroles",
                "ClusterRoleBinding", "clusterrolebindings"));
        KINDS.put("build.openshift.io/v1", Map.of("Build", "builds", "BuildConfig", "buildconfigs"));
        KINDS.put("image.openshift.io/v1", Map.of("ImageStream", "imagestreams"));
        KINDS.put("machineconfiguration.openshift.io/v1", Map.of("MachineConfigPool", "machineconfigpools",
                "MachineConfig", "machineconfigs"));
    }

    private static final java.util.Set<String> CLUSTER_SCOPED = java.util.Set.of("Namespace", "Node", "ClusterRole",
            "ClusterRoleBinding", "MachineConfigPool", "MachineConfig");

    private Discovery() {}

    static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.always("GET", "/api", (request, path) -> json("{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
                + "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}")));
        routes.add(Route.always("GET", "/apis", (request, path) -> json("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":["
                + KINDS.keySet().stream().filter(gv -> gv.contains("/")).map(gv -> {
                    String group = gv.substring(0, gv.indexOf('/'));
                    String version = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + gv.substring(gv.indexOf('/') + 1) + "\"}";
                    return "{\"name\":\"" + group + "\",\"versions\":[" + version + "],\"preferredVersion\":" + version + "}";
                }).collect(Collectors.joining(",")) + "]}")));
        for (Map.Entry<String, Map<String, String>> groupVersion : KINDS.entrySet()) {
            String gv = groupVersion.getKey();
            String path = gv.equals("v1") ? "/api/v1" : "/apis/" + gv;
            String resources = groupVersion.getValue().entrySet().stream().map(kind -> "{\"name\":\"" + kind.getValue()
                    + "\",\"singularName\":\"" + kind.getKey().toLowerCase(java.util.Locale.ROOT) + "\",\"namespaced\":"
                    + !CLUSTER_SCOPED.contains(kind.getKey()) + ",\"kind\":\"" + kind.getKey()
                    + "\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}")
                    .collect(Collectors.joining(","));
            routes.add(Route.always("GET", java.util.regex.Pattern.quote(path), (request, m) -> json(
                    "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + gv + "\",\"resources\":[" + resources + "]}")));
        }
        routes.add(Route.always("GET", "/version", (request, path) -> json(
                "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-mock\",\"platform\":\"linux/amd64\"}")));
        return routes;
    }

    private static MockResponse json(String body) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
    }
}
