package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.SodamServer;
import dev.sodam.server.config.ConfigLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plots are drawn from a real run's lines: scenario (a) against a real Sodam and the relay, twice;
 * one readable PNG per scenario with a panel per metric and a bar per server.
 */
class PlotsTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    @Timeout(120)
    void aRunsLinesBecomeOnePicturePerScenario(@TempDir Path dataDir, @TempDir Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        try (SodamServer server = SodamServer.start(ConfigLoader.load(null, TestSodam.environment(dataDir)));
             ReferenceRelay relay = ReferenceRelay.start("127.0.0.1", 0, 2)) {
            for (int round = 1; round <= 2; round++) {
                ObjectNode sodam = IdleConnections.run(LoadGenerator.Target.SODAM, "sodam", server.port(), 50, SELF, round, 8, 1, 0);
                ObjectNode reference = IdleConnections.run(LoadGenerator.Target.REFERENCE, "reference", relay.port(), 50, SELF,
                        round, 8, 1, 0);
                lines.add(sodam.toString());
                lines.add(reference.toString());
            }
        }
        List<Path> written = Plots.write(lines, out, List.of("sodam", "reference"));
        assertThat(written).containsExactly(out.resolve("plot-a.png"));
        BufferedImage image = ImageIO.read(written.get(0).toFile());
        // the (a) metrics found in the lines: conns, heap, rss, socket memory, connects/s, CPU per 1k connects
        assertThat(image.getWidth()).isEqualTo(4 * 300);
        assertThat(image.getHeight()).isEqualTo(60 + 2 * 220);
        int teal = 0x0f766e;
        boolean sodamBarDrawn = false;
        for (int x = 0; x < image.getWidth() && !sodamBarDrawn; x++) {
            for (int y = 60; y < image.getHeight(); y++) {
                if ((image.getRGB(x, y) & 0xffffff) == teal) {
                    sodamBarDrawn = true;
                    break;
                }
            }
        }
        assertThat(sodamBarDrawn).as("a bar in Sodam's colour below the legend").isTrue();
    }

    /** Scenario (e) has eight servers in one panel: every one of them gets its legend entry and its bar. */
    @Test
    void eightServersInOnePanelAllShowInTheLegendAndAsBars(@TempDir Path out) throws Exception {
        List<String> servers = List.of("sodam", "reference", "sodam-cds", "reference-cds", "sodam-25", "reference-25",
                "sodam-aot", "reference-aot");
        List<String> lines = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            for (int s = 0; s < servers.size(); s++) {
                lines.add("{\"scenario\":\"e\",\"round\":" + round + ",\"server\":\"" + servers.get(s)
                        + "\",\"phase\":\"measure\",\"first_conn_ms\":" + (300 + 100 * s + round) + "}");
            }
        }
        BufferedImage image = ImageIO.read(Plots.write(lines, out, servers).get(0).toFile());
        int header = image.getHeight() - 220;
        for (int s = 0; s < servers.size(); s++) {
            int colour = Plots.BARS[s % Plots.BARS.length].getRGB() & 0xffffff;
            assertThat(colourIn(image, colour, 0, header)).as("legend entry of " + servers.get(s)).isTrue();
            assertThat(colourIn(image, colour, header, image.getHeight())).as("bar of " + servers.get(s)).isTrue();
        }
    }

    private static boolean colourIn(BufferedImage image, int colour, int fromY, int toY) {
        for (int y = fromY; y < toY; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == colour) {
                    return true;
                }
            }
        }
        return false;
    }
}
