package io.sipserver.proxy.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * SIP messages for comparing parsers: a call and a registration as SIPp sends them through the proxy (bench/
 * scenarios), the same in unusual but valid spellings, and malformed ones. {@link #mutants} derives more at random.
 */
final class SipMessageCorpus {

    private static final String SDP = "v=0\r\n"
            + "o=caller 53655765 2353687637 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "b=AS:80\r\n"
            + "t=0 0\r\n"
            + "m=audio 6000 RTP/AVP 0\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n";

    private SipMessageCorpus() {
    }

    /** What the proxy receives for one SIPp call (bench/calls.sh): both legs' requests and responses. */
    static List<String> sippCall(int call) {
        String callId = call + "-4711@127.0.0.1";
        String from = "From: <sip:caller" + call + "@example.test>;tag=4711C" + call + "\r\n";
        String to = "To: <sip:callee@example.test>";
        String toTagged = to + ";tag=4712U" + call + "\r\n";
        String callerVia = "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4711-" + call + "-0;rport=5061;"
                + "received=127.0.0.1\r\n";
        String proxyVia = "Via: SIP/2.0/UDP 127.0.0.1:15066;branch=z9hG4bK.proxy" + call + ";rport\r\n";
        String recordRoute = "Record-Route: <sip:127.0.0.1:15066;transport=udp;lr>\r\n";
        String route = "Route: <sip:127.0.0.1:15066;transport=udp;lr>\r\n";
        String invite = "INVITE sip:callee@example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4711-" + call + "-0\r\n"
                + "Max-Forwards: 70\r\n"
                + from
                + to + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:caller@127.0.0.1:5061;transport=UDP>\r\n"
                + "Subject: sipp-bench\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
        String responseHead = proxyVia + callerVia + recordRoute + from + toTagged
                + "Call-ID: " + callId + "\r\n" + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:callee@127.0.0.1:5062;transport=UDP>\r\n";
        String ringing = "SIP/2.0 180 Ringing\r\n" + responseHead + "Content-Length: 0\r\n\r\n";
        String ok = "SIP/2.0 200 OK\r\n" + responseHead + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
        String inDialog = route + "Max-Forwards: 70\r\n" + from + toTagged + "Call-ID: " + callId + "\r\n";
        String ack = "ACK sip:callee@127.0.0.1:5062;transport=UDP SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4711-" + call + "-5\r\n"
                + inDialog + "CSeq: 1 ACK\r\n"
                + "Contact: <sip:caller@127.0.0.1:5061;transport=UDP>\r\n" + "Content-Length: 0\r\n\r\n";
        String bye = "BYE sip:callee@127.0.0.1:5062;transport=UDP SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4711-" + call + "-7\r\n"
                + inDialog + "CSeq: 2 BYE\r\n"
                + "Contact: <sip:caller@127.0.0.1:5061;transport=UDP>\r\n" + "Content-Length: 0\r\n\r\n";
        String byeOk = "SIP/2.0 200 OK\r\n" + proxyVia + callerVia + from + toTagged
                + "Call-ID: " + callId + "\r\n" + "CSeq: 2 BYE\r\n"
                + "Contact: <sip:callee@127.0.0.1:5062;transport=UDP>\r\n" + "Content-Length: 0\r\n\r\n";
        return List.of(invite, ringing, ok, ack, bye, byeOk);
    }

    /** What the proxy receives for one SIPp registration with digest authentication (bench/register.sh). */
    static List<String> sippRegistration(int n) {
        String head = "REGISTER sip:example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-reg-" + n + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:user" + n + "@example.test>;tag=4711R" + n + "\r\n"
                + "To: <sip:user" + n + "@example.test>\r\n"
                + "Call-ID: " + n + "-reg@127.0.0.1\r\n";
        String tail = "Contact: <sip:user" + n + "@127.0.0.1:5061;transport=UDP>\r\n"
                + "Expires: 3600\r\n"
                + "User-Agent: sipp-bench\r\n"
                + "Content-Length: 0\r\n\r\n";
        String first = head + "CSeq: 1 REGISTER\r\n" + tail;
        String signed = head + "CSeq: 2 REGISTER\r\n"
                + "Authorization: Digest username=\"user" + n + "\",realm=\"example.test\",uri=\"sip:example.test\","
                + "nonce=\"MTcwMDAwMDAwMDAwMDpmMDBiYXI=\",response=\"0123456789abcdef0123456789abcdef\","
                + "algorithm=MD5,qop=auth,cnonce=\"6b8b4567\",nc=00000001\r\n"
                + tail;
        return List.of(first, signed);
    }

    /** Valid messages in spellings SIPp does not use, and malformed ones. */
    static List<String> unusual() {
        List<String> messages = new ArrayList<>();
        String invite = sippCall(1).get(0);
        String register = sippRegistration(1).get(1);
        messages.add(invite);
        messages.add(register);
        messages.add(compact(invite));
        messages.add(invite.replace("Via:", "VIA:").replace("Call-ID:", "call-id:").replace("CSeq:", "CSEQ:")
                .replace("Content-Length:", "content-LENGTH:").replace("Max-Forwards:", "max-forwards:"));
        messages.add(invite.replace(": ", ":").replace("CSeq:1", "CSeq:1"));
        messages.add(invite.replace(": ", " :  \t").replace("CSeq :  \t1 INVITE", "CSeq :  \t1\t INVITE \t"));
        messages.add(invite.replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;"
                + "branch=z9hG4bK-a, SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bK-b;received=2001:db8::2\r\n"));
        messages.add(invite.replace("Subject: sipp-bench\r\n", "Subject: folded\r\n  across\r\n\tthree lines\r\n"));
        messages.add(invite.replace("CSeq: 1 INVITE\r\n", "CSeq: 1\r\n INVITE\r\n"));
        messages.add(invite.replace("sip:callee@example.test SIP", "sip:callee@[2001:db8::10]:5060 SIP")
                .replace("127.0.0.1:5061", "[::1]:5061"));
        messages.add(invite.replace("Subject: sipp-bench\r\n", "X-Custom: anything at all\r\nP-Asserted-Identity: "
                + "\"Caller\" <sip:caller@example.test>\r\nSupported: timer, 100rel\r\nSession-Expires: 1800;"
                + "refresher=uac\r\nAllow: INVITE, ACK, BYE, CANCEL\r\nUser-Agent: x/1.0 (test)\r\n"
                + "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\nRequire: 100rel\r\nk: timer\r\nx: 90\r\nu: presence\r\n"
                + "o: presence\r\nr: <sip:other@example.test>\r\nb: <sip:referrer@example.test>\r\n"
                + "s: short subject\r\ne: gzip\r\n"));
        messages.add(invite.replace("Subject:", "\u212A:").replace("Max-Forwards:", "M\u00e4x-Forwards:"));
        messages.add(invite.replace("Subject: sipp-bench\r\n",
                "\u00e9t\u00e9: caf\u00e9\r\nAlert-Info: <http://x/y>\r\n"));
        // Values the simple headers' parsers refuse or read oddly.
        for (String[] swap : new String[][] {
                {"CSeq: 1 INVITE", "CSeq: 1 invite"}, {"CSeq: 1 INVITE", "CSeq: 1INVITE"},
                {"CSeq: 1 INVITE", "CSeq: 1 TO"}, {"CSeq: 1 INVITE", "CSeq: 1 FOO"},
                {"CSeq: 1 INVITE", "CSeq: 99999999999 INVITE"}, {"CSeq: 1 INVITE", "CSeq: 2147483648 INVITE"},
                {"CSeq: 1 INVITE", "CSeq: 2147483647 INVITE"}, {"CSeq: 1 INVITE", "CSeq: -1 INVITE"},
                {"CSeq: 1 INVITE", "CSeq: INVITE"}, {"CSeq: 1 INVITE", "CSeq: 1 INVITE x"},
                {"CSeq: 1 INVITE", "CSeq: \u0661 INVITE"}, {"CSeq: 1 INVITE", "CSeq: 007 INVITE"},
                {"CSeq: 1 INVITE", "CSeq: 1 \"INVITE\""}, {"CSeq: 1 INVITE", "CSeq: 1 INFO"},
                {"Max-Forwards: 70", "Max-Forwards: 256"}, {"Max-Forwards: 70", "Max-Forwards: 255"},
                {"Max-Forwards: 70", "Max-Forwards: 7 0"}, {"Max-Forwards: 70", "Max-Forwards: seventy"},
                {"Max-Forwards: 70", "Max-Forwards: 99999999999"}, {"Max-Forwards: 70", "Max-Forwards:"},
                {"Max-Forwards: 70", "Max-Forwards: 0070"}, {"Max-Forwards: 70", "Max-Forwards: +70"},
                {"Content-Length: ", "Content-Length: 9"}, {"Content-Length: ", "Content-Length: -"},
                {"Content-Length: ", "Content-Length: 99999999999"}, {"Content-Length: ", "l: 0"},
                {"Call-ID: ", "Call-ID: "}, {"Call-ID: ", "Call-ID:   x y z  "}, {"Call-ID: ", "Call-ID: @"},
                {"Call-ID: ", "Call-ID: a@b@c"}, {"Call-ID: ", "i:abc"}, {"Call-ID: ", "Call-ID: \u00e9@x"},
                {"Content-Type: application/sdp", "Content-Type: application/sdp;charset=\"utf-8\""},
                {"Content-Type: application/sdp", "Content-Type: APPLICATION/SDP"},
                {"Content-Type: application/sdp", "Content-Type: application/"},
                {"Content-Type: application/sdp", "Content-Type: application / sdp ; a = b"},
                {"Content-Type: application/sdp", "c: application/sdp"},
                {"Subject: sipp-bench", "Expires: 3600"}, {"Subject: sipp-bench", "Expires: 36 00"},
                {"Subject: sipp-bench", "Expires: -1"}, {"Subject: sipp-bench", "Expires: 99999999999"},
                {"Subject: sipp-bench", "Expires: 1a"}, {"Subject: sipp-bench", "Expires:\t3600"},
                {"Subject: sipp-bench", "Expires: Sat, 13 Nov 2010 23:29:00 GMT"},
                {"Subject: sipp-bench", "Via: SIP/2.0/UDP host;branch=z9hG4bK1 (comment"},
                {"Subject: sipp-bench", ": no name"}, {"Subject: sipp-bench", "No colon at all"},
                {"Subject: sipp-bench", "Empty:"}, {"Subject: sipp-bench", "Via:"},
                {"Subject: sipp-bench", "From: <sip:a@b"}, {"Subject: sipp-bench", "Contact: *"},
                {"Subject: sipp-bench", "\u0001Call-ID: control"}, {"Subject: sipp-bench", "Max-Forwards : 70"},
                {"INVITE sip:callee@example.test SIP/2.0", "INVITE sip:callee@example.test SIP/3.0"},
                {"INVITE sip:callee@example.test SIP/2.0", "INVITE callee SIP/2.0"},
                {"INVITE sip:callee@example.test SIP/2.0", "\r\n\r\nINVITE sip:callee@example.test SIP/2.0"}}) {
            messages.add(invite.replace(swap[0], swap[1]));
        }
        messages.add(register.replace("Expires: 3600", "Expires: 0").replace("Contact: <", "Contact: \"A b\" <"));
        messages.add(register.replace("Contact: <sip:user1@127.0.0.1:5061;transport=UDP>", "Contact: *"));
        messages.add(register.replace("Contact: <sip:user1@127.0.0.1:5061;transport=UDP>",
                "m: <sip:a@[2001:db8::1]:5061>;expires=60;q=0.5, <sip:b@host.example>;+sip.instance=\"<urn:x>\""));
        messages.addAll(credentialsForms(invite, register));
        messages.add("SIP/2.0 401 Unauthorized\r\n" + register.substring(register.indexOf("Via:"))
                .replace("Authorization: Digest", "WWW-Authenticate: Digest"));
        messages.addAll(addressForms(invite, register));
        messages.add("SIP/2.0 999\r\n\r\n");
        messages.add("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        messages.add("\r\n\r\n");
        messages.add("");
        messages.add("garbage");
        messages.add("OPTIONS sip:x SIP/2.0\r\n");
        messages.add(" Via: SIP/2.0/UDP x\r\n\r\n");
        return messages;
    }

    /**
     * Authorization and Proxy-Authorization in the spellings phones send and in forms the hand parser leaves to the
     * RI: spaces, quoting, order, case, other schemes, several headers, malformed ones.
     */
    private static List<String> credentialsForms(String invite, String register) {
        String sipp = register.substring(register.indexOf("Authorization: ") + "Authorization: ".length(),
                register.indexOf("\r\n", register.indexOf("Authorization: ")));
        List<String> values = List.of(sipp,
                "Digest username=\"alice\", realm=\"example.test\", nonce=\"abc\", uri=\"sip:example.test\", "
                        + "response=\"0123456789abcdef0123456789abcdef\", algorithm=SHA-256, qop=auth, "
                        + "cnonce=\"x\", nc=00000002, opaque=\"\"",
                "Digest username = \"alice\" , realm= \"example.test\",nonce =\"abc\",uri=\"sip:a@b\",response=\"1\"",
                "DIGEST REALM=\"example.test\",USERNAME=alice,NONCE=abc,URI=\"sip:a@b\",RESPONSE=1",
                "digest response=\"1\",uri=\"sip:a@b\",nonce=\"abc\",username=\"alice\",realm=\"example.test\"",
                "Digest username=alice,realm=example.test,nonce=abc,uri=sip:a@b,response=1",
                "Digest username=\"a\\\"b\",realm=\"example.test\",nonce=\"abc\",uri=\"sip:a@b\",response=\"1\"",
                "Digest username=\"alice\",realm=\"example.test\",realm=\"other\",nonce=\"n\"",
                "Digest username=\"alice\",,realm=\"example.test\"",
                "Digest username=\"alice\",realm=\"example.test\",",
                "Digest username=\"alice\",realm=\"example.test",
                "Digest username=\"al ice\",\trealm=\"example.test\"",
                "Digest\tusername=\"alice\"",
                "Digest  username=\"alice\",realm=\"example.test\"   ",
                "Digest",
                "Digest realm",
                "Digest =x",
                "Digest username=\"caf\u00e9\",realm=\"example.test\"",
                "Basic YWxpY2U6c2VjcmV0",
                "Basic realm=\"example.test\"",
                "Bearer token=abc.def-ghi_jkl~",
                "");
        List<String> messages = new ArrayList<>();
        for (String value : values) {
            messages.add(register.replace(sipp, value));
            messages.add(invite.replace("Subject: sipp-bench\r\n", "Proxy-Authorization: " + value + "\r\n"));
        }
        messages.add(register.replace("Authorization: " + sipp, "authorization:" + values.get(3)));
        messages.add(register.replace("Authorization: " + sipp,
                "AUTHORIZATION: " + values.get(1) + "\r\nAuthorization: " + sipp + "\r\nAuthorization: " + values.get(2)));
        messages.add(invite.replace("Subject: sipp-bench\r\n", "Proxy-Authorization: " + values.get(1)
                + "\r\nProxy-Authorization: " + sipp.replace("example.test", "other.test")
                + "\r\nProxy-Authorization: " + values.get(18) + "\r\nAuthorization: " + sipp + "\r\n"));
        messages.add(invite.replace("Subject: sipp-bench\r\n", "Proxy-Authorization: " + values.get(1)
                + ",\r\n  nextnonce=\"folded\"\r\n"));
        return messages;
    }

    /**
     * The address headers (From, To, Contact, Route, Record-Route) and Via in the forms phones and proxies send,
     * plain and not quite, each put in place of the call's or the registration's own.
     */
    private static List<String> addressForms(String invite, String register) {
        List<String> messages = new ArrayList<>();
        String from = "From: <sip:caller1@example.test>;tag=4711C1";
        for (String value : new String[] {
                "\"Alice Smith\" <sip:alice@example.test>;tag=abc", "Alice <sip:alice@example.test>;tag=abc",
                "Alice  Smith\t<sip:alice@example.test>;tag=abc", "\" Alice \"<sip:alice@example.test>;tag=a",
                "\"\" <sip:alice@example.test>", "\"Jos\u00e9 \u00c5\" <sip:jose@example.test>;tag=1",
                "\"A \\\"quoted\\\" name\" <sip:a@example.test>;tag=1", "\"unterminated <sip:a@example.test>",
                "sip:alice@example.test;tag=abc", "sip:alice@example.test", "sips:alice@example.test:5061;tag=x",
                "sip:example.test;tag=abc", "sip:alice@example.test?subject=x;tag=1", "tel:+15551234;tag=1",
                "<tel:+1-555-1234;phone-context=example.test>;tag=1", "<sip:+1-555_x.y!~*'()&=+$,;?/@Example.TEST>",
                "<sip:alice@192.0.2.10:5060;transport=tcp;lr;maddr=192.0.2.1;user=phone;method=INVITE>;tag=1",
                "<sip:alice@example.test;TRANSPORT=TCP;LR>;TAG=Abc;Other=Value;flag", "<SIP:alice@example.test>",
                "<sip:alice:secret@example.test>;tag=1", "<sip:alice:@example.test>;tag=1", "<sip:@example.test>",
                "<sip:al%41ce@example.test>;tag=1", "<sip:alice@example.test;x=%41>", "<sip:alice@exa%41mple.test>",
                "<sip:alice@[2001:db8::1]:5060>;tag=1", "<sip:alice@2001:db8::1>;tag=1", "<sip:a@h:5060:1>",
                "<sip:alice@example.test:99999>;tag=1", "<sip:alice@example.test:123456>", "<sip:alice@host:>",
                "<sip:alice@example.test;lr=;=x;>;tag=1", "<sip:alice@example.test?X=y&z=w>;tag=1",
                "< sip:alice@example.test >;tag=1", "<sip:alice@example.test> ; tag = abc ; x = \"y z\" ",
                "<sip:alice@example.test>;tag=", "<sip:alice@example.test>;tag=\"\"", "<sip:alice@example.test>;=1",
                "<sip:alice@example.test>;tag=[2001:db8::1]", "<sip:alice@example.test>tag=1",
                "<sip:alice@example.test>;tag=1,", "<sip:alice@example.test>, <sip:bob@example.test>",
                "<sip:alice@example.test/x>", "<sip:alice@example_1.test-2.>", "<sip:alice@ex\u00e4mple.test>",
                "<sip:alice@example.test>;tag=\u00e4", "A/B <sip:alice@example.test>", "A:B <sip:a@example.test>",
                "<sip:alice@example.test>;x=\"<urn:a:b>\"", "<sip:alice;x=y@example.test>;tag=1",
                "<sip:alice@example.test:5060>", "sip:alice@example.test:5060", "<sip:127.0.0.1:5060;lr>"}) {
            messages.add(invite.replace(from, "From: " + value));
            messages.add(invite.replace("To: <sip:callee@example.test>", "t: " + value));
        }
        String contact = "Contact: <sip:user1@127.0.0.1:5061;transport=UDP>";
        for (String value : new String[] {
                "<sip:user1@192.0.2.1:5060;ob>;expires=3600;q=0.5;+sip.instance=\"<urn:uuid:0C67-4a2b>\";reg-id=1",
                "<sip:a@192.0.2.1>;q=0.5, <sip:b@example.test;transport=tcp>;expires=60 ,<sip:c@h>",
                "\"Bob\" <sip:bob@192.0.2.1:5070>;expires=0", "sip:bob@192.0.2.1;expires=60", "*", "* ",
                "<sip:a@h>;methods=\"INVITE,BYE\";q=1.0;expires=abc", "<sip:a@h>;Q=0.5;EXPIRES=60",
                "<sip:a@h>, ", "<sip:a@h>,,<sip:b@h>", "<sip:a@h>;q=2", "<sip:a@h>;q=x", "*, <sip:a@h>",
                "<sip:a@h>;+sip.instance=\"<urn:uuid:\u00e4>\"", "sip:a@h,sip:b@h"}) {
            messages.add(register.replace(contact, "Contact: " + value));
            messages.add(register.replace(contact, "m: " + value));
        }
        String route = "Route: <sip:127.0.0.1:15066;transport=udp;lr>";
        String recordRoute = "Record-Route: <sip:127.0.0.1:15066;transport=udp;lr>";
        String bye = sippCall(1).get(4);
        String ringing = sippCall(1).get(1);
        for (String value : new String[] {
                "<sip:proxy1.example.test;lr>, <sip:192.0.2.7:5070;transport=tcp;lr>",
                "<sip:192.0.2.7;lr;r2=on;ftag=4711>,<sips:p.example.test:5061;lr>", "sip:p1.example.test",
                "sip:p1.example.test, sip:p2.example.test;x=y", "<sip:p1.example.test;lr", "<sip:[::1];lr>",
                "\"Proxy\" <sip:p.example.test;lr>", "<sip:p.example.test;lr>;x", "<sip:p.example.test;lr> junk"}) {
            messages.add(bye.replace(route, "Route: " + value));
            messages.add(ringing.replace(recordRoute, "Record-Route: " + value));
        }
        String via = "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4711-1-0";
        for (String value : new String[] {
                "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport",
                "SIP/2.0/TCP proxy.example.test;branch=z9hG4bK1;received=192.0.2.9;rport=5070",
                "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa, SIP/2.0/UDP 192.0.2.2:5070;branch=z9hG4bKb;rport,"
                        + "SIP/2.0/TLS host.example.test:5061;branch=z9hG4bKc",
                "sip/2.0/udp Host.Example.TEST:5060;BRANCH=z9hG4bKX;RPort;Received=192.0.2.9;TTL=3;maddr=224.0.0.1",
                "SIP/2.0/UDP h;branch=z9hG4bK1;received=a b ;rport", "SIP/2.0/UDP h;branch=z9hG4bK1;received=",
                "SIP/2.0/UDP h;branch=z9hG4bK1;received=[2001:db8::1]", "SIP/2.0/UDP h;branch;rport",
                "SIP/2.0/UDP h;branch=;rport", "SIP/2.0/UDP h;branch=\"q\"", "SIP/2.0/UDP h;x=\"a;b\";branch=z",
                "SIP/2.0/UDP h:5060 ;branch=z9hG4bK1", "SIP/2.0/UDP h :5060;branch=z9hG4bK1", "SIP/2.0/UDP h:",
                "SIP/2.0/UDP h;branch=z9hG4bK1,", "SIP/2.0/UDP h;branch=z9hG4bK1 SIP/2.0/UDP g;branch=z9hG4bK2",
                "SIP / 2.0 / UDP h;branch=z9hG4bK1", "SIP/2.0/UDP\th;branch=z9hG4bK1", "SIP/2.0/UDP h;;branch=z",
                "SIP/2.0/UDP 2001:db8::1;branch=z9hG4bK1", "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1",
                "SIP/2.0/UDP h:99999;branch=z9hG4bK1", "SIP/2.0/UDP h;branch=z9hG4bK1;received=1.2.3.4;x=\u00e4",
                "SIP/2.0/UDP h\u00e4;branch=z9hG4bK1", "SIP/2.0/UDP h;branch=z9hG4bK1 (comment)"}) {
            messages.add(invite.replace(via, "Via: " + value));
            messages.add(ringing.replace("Via: SIP/2.0/UDP 127.0.0.1:15066", "v: " + value + ", SIP/2.0/UDP h"));
        }
        return messages;
    }

    /** The message with its headers' compact names (RFC 3261 7.3.3) where they have one. */
    static String compact(String message) {
        return message.replace("Via:", "v:").replace("From:", "f:").replace("To:", "t:").replace("Call-ID:", "i:")
                .replace("Contact:", "m:").replace("Content-Type:", "c:").replace("Content-Length:", "l:")
                .replace("Subject:", "s:");
    }

    /**
     * {@code count} variants of the messages, each changed in one to three places: a character deleted, inserted
     * (one that SIP syntax gives meaning to, or an unusual one) or a line duplicated, dropped or cut. Seeded, so a
     * failure can be reproduced.
     */
    static List<String> mutants(List<String> messages, int count, long seed) {
        String inserted = ":;,=<>@\"\\ \t\r\n[]()/.0123456789aZ\u0000\u007f\u00e9\u212A*%+-_";
        Random random = new Random(seed);
        List<String> mutants = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder m = new StringBuilder(messages.get(random.nextInt(messages.size())));
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes && m.length() > 0; c++) {
                int at = random.nextInt(m.length());
                switch (random.nextInt(5)) {
                    case 0 -> m.deleteCharAt(at);
                    case 1 -> m.insert(at, inserted.charAt(random.nextInt(inserted.length())));
                    case 2 -> m.setCharAt(at, inserted.charAt(random.nextInt(inserted.length())));
                    case 3 -> {
                        int start = m.lastIndexOf("\n", at) + 1;
                        int end = m.indexOf("\n", at);
                        if (end > 0) {
                            if (random.nextBoolean()) {
                                m.insert(start, m.substring(start, end + 1));
                            } else {
                                m.delete(start, end + 1);
                            }
                        }
                    }
                    default -> m.setLength(at);
                }
            }
            mutants.add(m.toString());
        }
        return mutants;
    }
}
