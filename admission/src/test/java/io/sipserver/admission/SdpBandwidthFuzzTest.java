package io.sipserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sipserver.config.AdmissionProperties;

/**
 * Any SDP body, as a caller could put it in an INVITE: the bandwidth model either names what is wrong
 * (IllegalArgumentException) or returns a finite, non-negative figure, and a stream with port 0 counts for nothing.
 * {@code verify} fuzzes it; {@code test} replays the inputs kept in SdpBandwidthFuzzTestInputs.
 */
class SdpBandwidthFuzzTest {

    private final BandwidthModel model = new BandwidthModel(AdmissionProperties.defaults());

    @FuzzTest(maxDuration = "30s")
    void bandwidthOfAnySdp(FuzzedDataProvider data) {
        boolean offer = data.consumeBoolean();
        String sdp = data.consumeRemainingAsString();
        SdpDescription description;
        double kbps;
        try {
            description = SdpDescription.parse(sdp, 20);
            kbps = offer ? model.offerKbps(sdp) : model.answerKbps(sdp);
        } catch (IllegalArgumentException badSdp) {
            assertThat(badSdp.getMessage()).as("the reason given for refusing the SDP").isNotBlank();
            return;
        }
        assertThat(kbps).as("bandwidth of\n%s", sdp).isFinite().isGreaterThanOrEqualTo(0);
        if (description.media.stream().noneMatch(SdpDescription.Media::active)) {
            assertThat(kbps).as("bandwidth of SDP without an active stream:\n%s", sdp).isZero();
        }
    }
}
