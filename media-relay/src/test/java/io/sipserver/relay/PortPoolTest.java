package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortPoolTest {

    @Test
    void pairsStartOnTheEvenPortAtOrAboveTheMinimumAndFitBelowTheMaximum() {
        PortPool pool = new PortPool(30001, 30010);

        List<Integer> ports = drain(pool);

        assertThat(ports).containsExactly(30002, 30004, 30006, 30008);
        assertThat(pool.capacity()).isEqualTo(4);
    }

    @Test
    void exhaustedPoolSaysSo() {
        PortPool pool = new PortPool(40000, 40003);
        drain(pool);

        assertThat(pool.acquire()).isEqualTo(-1);
        assertThat(pool.freePairs()).isZero();
    }

    @Test
    void releasedPairsComeBackLastSoThatRecentPortsRest() {
        PortPool pool = new PortPool(40000, 40007);
        int first = pool.acquire();
        int second = pool.acquire();

        pool.release(first);

        assertThat(pool.acquire()).isEqualTo(40004);
        assertThat(pool.acquire()).isEqualTo(40006);
        assertThat(pool.acquire()).isEqualTo(first);
        assertThat(second).isEqualTo(40002);
    }

    @Test
    void everyPairComesBackAfterRelease() {
        PortPool pool = new PortPool(40000, 40999);
        List<Integer> taken = drain(pool);

        taken.forEach(pool::release);

        assertThat(pool.freePairs()).isEqualTo(pool.capacity()).isEqualTo(500);
        assertThat(drain(pool)).containsExactlyInAnyOrderElementsOf(taken);
    }

    @Test
    void releasingTwiceIsHarmless() {
        PortPool pool = new PortPool(40000, 40003);
        int port = pool.acquire();

        assertThat(pool.release(port)).isTrue();
        assertThat(pool.release(port)).isFalse();
        assertThat(pool.freePairs()).isEqualTo(2);
    }

    @Test
    void portsOfAnotherRangeAreRefused() {
        PortPool pool = new PortPool(40000, 40003);

        assertThatThrownBy(() -> pool.release(40001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.release(40004)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.release(39998)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangeWithoutAWholePairIsRefused() {
        assertThatThrownBy(() -> new PortPool(40001, 40002)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Integer> drain(PortPool pool) {
        List<Integer> ports = new ArrayList<>();
        for (int port = pool.acquire(); port >= 0; port = pool.acquire()) {
            ports.add(port);
        }
        return ports;
    }
}
