package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Real PNG and JPEG files, and hostile variants of them, through {@link UploadedImages#clean}. */
class UploadedImagesTest {

    @Test
    void aPhonePhotoLosesItsMetadataButKeepsItsOrientation() {
        byte[] photo = TestImages.phonePhoto(60, 40, 6); // stored sideways: "turn a quarter clockwise"
        assertThat(ExifOrientation.of(photo)).isEqualTo(6);
        assertThat(TestImages.contains(photo, TestImages.SECRET)).isTrue();

        UploadedImages.Cleaned cleaned = UploadedImages.clean("image/jpeg", photo);

        assertThat(TestImages.contains(cleaned.bytes(), TestImages.SECRET)).isFalse();
        assertThat(TestImages.contains(cleaned.bytes(), "Exif")).isFalse();
        BufferedImage seen = TestImages.read(cleaned.bytes());
        assertThat(seen.getWidth()).isEqualTo(40);
        assertThat(seen.getHeight()).isEqualTo(60);
        // The red left half of the sensor's picture is the top once turned clockwise.
        assertThat(TestImages.reddish(seen, 20, 10)).isTrue();
        assertThat(TestImages.bluish(seen, 20, 50)).isTrue();
    }

    @Test
    void everyOrientationTurnsThePixelsTheWayItsTagSays() {
        // Where the sensor's red half ends up: 1 left, 2 right (mirrored), 3 right, 4 left, 5 top, 6 top, 7 bottom, 8 bottom.
        String[] redSide = {"left", "right", "right", "left", "top", "top", "bottom", "bottom"};
        for (int orientation = 1; orientation <= 8; orientation++) {
            BufferedImage seen = TestImages.read(UploadedImages.clean("image/jpeg",
                    TestImages.phonePhoto(60, 40, orientation)).bytes());
            int w = seen.getWidth();
            int h = seen.getHeight();
            boolean red = switch (redSide[orientation - 1]) {
                case "left" -> TestImages.reddish(seen, w / 4, h / 2) && TestImages.bluish(seen, 3 * w / 4, h / 2);
                case "right" -> TestImages.reddish(seen, 3 * w / 4, h / 2) && TestImages.bluish(seen, w / 4, h / 2);
                case "top" -> TestImages.reddish(seen, w / 2, h / 4) && TestImages.bluish(seen, w / 2, 3 * h / 4);
                default -> TestImages.reddish(seen, w / 2, 3 * h / 4) && TestImages.bluish(seen, w / 2, h / 4);
            };
            assertThat(red).as("orientation " + orientation + ": red on the " + redSide[orientation - 1]).isTrue();
            assertThat(orientation >= 5 ? h : w).as("orientation " + orientation).isEqualTo(60);
        }
    }

    @Test
    void whateverFollowsAPngsEndOrHidesInItsTextChunksIsNotStored() {
        byte[] polyglot = TestImages.concat(TestImages.png(8, 8),
                "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8));
        UploadedImages.Cleaned cleaned = UploadedImages.clean("image/png", polyglot);
        assertThat(TestImages.contains(cleaned.bytes(), "<script>")).isFalse();
        assertThat(TestImages.read(cleaned.bytes()).getWidth()).isEqualTo(8);
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderAlone() {
        assertThatThrownBy(() -> UploadedImages.clean("image/png", TestImages.claimingPng(100_000, 100_000)))
                .isInstanceOfSatisfying(ChatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
                    assertThat(e.getMessage()).contains("megapixels").contains("100000 × 100000");
                });
    }

    @Test
    void aLargePictureIsScaledDownWhileItIsRead() {
        BufferedImage seen = TestImages.read(UploadedImages.clean("image/png", TestImages.png(5000, 300)).bytes());
        assertThat(seen.getWidth()).isLessThanOrEqualTo(UploadedImages.MAX_SIDE).isGreaterThan(UploadedImages.MAX_SIDE / 2);
        assertThat(TestImages.reddish(seen, 10, 10)).isTrue();
        assertThat(TestImages.bluish(seen, seen.getWidth() - 10, 10)).isTrue();
    }

    @Test
    void bytesThatOnlyStartLikeAnImageAreAClearError() {
        byte[] truncated = java.util.Arrays.copyOf(TestImages.png(50, 50), 60);
        assertThatThrownBy(() -> UploadedImages.clean("image/png", truncated))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_TYPE));
        byte[] jpegHead = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 1, 2, 3};
        assertThatThrownBy(() -> UploadedImages.clean("image/jpeg", jpegHead))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_TYPE));
    }

    @Test
    void aGifKeepsItsBytesSoAnimationSurvives() {
        byte[] gif = TestImages.write(TestImages.halves(10, 10), "gif");
        assertThat(UploadedImages.clean("image/gif", gif).bytes()).isEqualTo(gif);
    }
}
