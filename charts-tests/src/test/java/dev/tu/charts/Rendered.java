package dev.tu.charts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A render parsed with fabric8's Kubernetes model. Parsing is strict: a field the model does not know
 * lands in some object's additionalProperties, and that is reported as an error with its path. Only
 * the CRD kinds listed in {@link #CUSTOM_KINDS} may stay generic.
 */
final class Rendered {

    /** Kinds of CRDs (Kong, Prometheus Operator) that fabric8's core model does not have. */
    static final Set<String> CUSTOM_KINDS = Set.of("KongPlugin", "ServiceMonitor", "PrometheusRule");

    private static final KubernetesSerialization serialization = new KubernetesSerialization();

    private final List<HasMetadata> objects;

    private Rendered(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** Parses every document of a `helm template` output; throws on any unknown field or kind. */
    static Rendered parse(String manifest) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String document : manifest.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            HasMetadata object = serialization.unmarshal(document);
            String where = object.getKind() + "/" + object.getMetadata().getName();
            if (object instanceof GenericKubernetesResource) {
                if (!CUSTOM_KINDS.contains(object.getKind())) {
                    problems.add(where + ": apiVersion " + object.getApiVersion()
                            + " and kind are not known to fabric8's model (typo?)");
                }
            } else {
                collectUnknownFields(object, where, problems);
            }
            objects.add(object);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Strict parsing failed:\n  " + String.join("\n  ", problems));
        }
        return new Rendered(objects);
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(object -> kind.equals(object.getKind())).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(object -> name.equals(object.getMetadata().getName())).findFirst();
    }

    /** Pod specs of the workloads (Deployments) and of the helm test pods, by owner name. */
    Map<String, PodSpec> deploymentPodSpecs() {
        Map<String, PodSpec> specs = new java.util.LinkedHashMap<>();
        for (Deployment deployment : all(Deployment.class)) {
            specs.put(deployment.getMetadata().getName(), deployment.getSpec().getTemplate().getSpec());
        }
        return specs;
    }

    static List<Container> containers(PodSpec spec) {
        List<Container> all = new ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        return all;
    }

    /** Walks the model's getters; any non-empty additionalProperties is a field the model did not know. */
    private static void collectUnknownFields(Object node, String path, List<String> problems) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> collection) {
            int index = 0;
            for (Object item : collection) {
                collectUnknownFields(item, path + "[" + index++ + "]", problems);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, path + "[" + key + "]", problems));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + unknown.keySet());
                }
                continue;
            }
            String property = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            collectUnknownFields(value, path + "." + property, problems);
        }
    }
}
