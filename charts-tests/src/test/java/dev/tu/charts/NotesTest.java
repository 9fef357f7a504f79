package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import dev.tu.testsupport.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NOTES.txt (printed after install/upgrade) tells the operator what to do next, with this release's names. */
class NotesTest {

    @Test
    void notesNameTheRolloutChecksTheHostsAndTheRollback() {
        String notes = installDryRun(Map.of());
        for (Service service : Service.values()) {
            assertThat(notes).contains("kubectl -n tu rollout status deployment/tu-" + service.id());
        }
        assertThat(notes)
                .contains("helm test tu -n tu --logs")
                .contains("https://tu.localtest.me/", "https://api.tu.localtest.me/graphql")
                .contains("kubectl -n tu describe pod", "kubectl -n tu logs <pod> --previous")
                .contains("helm rollback tu <revision> -n tu --wait")
                .contains("Images: tu/<service>:0.1.0")
                .doesNotContain("WARNING");
    }

    @Test
    void notesWarnWhenNetworkPoliciesAreOff() {
        assertThat(installDryRun(Map.of("networkPolicy.enabled", "false")))
                .contains("WARNING: networkPolicy.enabled=false");
    }

    private static String installDryRun(Map<String, String> sets) {
        InstallCommand install = new Helm(Charts.umbrella()).install().withName(Charts.RELEASE)
                .withNamespace(Charts.NAMESPACE).clientOnly().withDryRunOption(DryRun.CLIENT)
                .withValuesFile(Charts.sourceChart().resolve("values-kind.yaml"));
        for (Map.Entry<String, String> set : sets.entrySet()) {
            install = install.set(set.getKey(), set.getValue());
        }
        return install.call().getOutput();
    }
}
