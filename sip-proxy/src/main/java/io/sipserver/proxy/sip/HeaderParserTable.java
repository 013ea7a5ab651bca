package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.extensions.Join;
import gov.nist.javax.sip.header.extensions.MinSE;
import gov.nist.javax.sip.header.extensions.References;
import gov.nist.javax.sip.header.extensions.ReferredBy;
import gov.nist.javax.sip.header.extensions.Replaces;
import gov.nist.javax.sip.header.extensions.SessionExpires;
import gov.nist.javax.sip.header.ims.PAccessNetworkInfoHeader;
import gov.nist.javax.sip.header.ims.PAssertedIdentityHeader;
import gov.nist.javax.sip.header.ims.PAssertedServiceHeader;
import gov.nist.javax.sip.header.ims.PAssociatedURIHeader;
import gov.nist.javax.sip.header.ims.PCalledPartyIDHeader;
import gov.nist.javax.sip.header.ims.PChargingFunctionAddressesHeader;
import gov.nist.javax.sip.header.ims.PChargingVectorHeader;
import gov.nist.javax.sip.header.ims.PMediaAuthorizationHeader;
import gov.nist.javax.sip.header.ims.PPreferredIdentityHeader;
import gov.nist.javax.sip.header.ims.PPreferredServiceHeader;
import gov.nist.javax.sip.header.ims.PProfileKeyHeader;
import gov.nist.javax.sip.header.ims.PServedUserHeader;
import gov.nist.javax.sip.header.ims.PUserDatabaseHeader;
import gov.nist.javax.sip.header.ims.PVisitedNetworkIDHeader;
import gov.nist.javax.sip.header.ims.PathHeader;
import gov.nist.javax.sip.header.ims.PrivacyHeader;
import gov.nist.javax.sip.header.ims.SecurityClientHeader;
import gov.nist.javax.sip.header.ims.SecurityServerHeader;
import gov.nist.javax.sip.header.ims.SecurityVerifyHeader;
import gov.nist.javax.sip.header.ims.ServiceRouteHeader;
import gov.nist.javax.sip.parser.AcceptEncodingParser;
import gov.nist.javax.sip.parser.AcceptLanguageParser;
import gov.nist.javax.sip.parser.AcceptParser;
import gov.nist.javax.sip.parser.AlertInfoParser;
import gov.nist.javax.sip.parser.AllowEventsParser;
import gov.nist.javax.sip.parser.AllowParser;
import gov.nist.javax.sip.parser.AuthenticationInfoParser;
import gov.nist.javax.sip.parser.AuthorizationParser;
import gov.nist.javax.sip.parser.CSeqParser;
import gov.nist.javax.sip.parser.CallIDParser;
import gov.nist.javax.sip.parser.CallInfoParser;
import gov.nist.javax.sip.parser.ContactParser;
import gov.nist.javax.sip.parser.ContentDispositionParser;
import gov.nist.javax.sip.parser.ContentEncodingParser;
import gov.nist.javax.sip.parser.ContentLanguageParser;
import gov.nist.javax.sip.parser.ContentLengthParser;
import gov.nist.javax.sip.parser.ContentTypeParser;
import gov.nist.javax.sip.parser.DateParser;
import gov.nist.javax.sip.parser.ErrorInfoParser;
import gov.nist.javax.sip.parser.EventParser;
import gov.nist.javax.sip.parser.ExpiresParser;
import gov.nist.javax.sip.parser.FromParser;
import gov.nist.javax.sip.parser.HeaderParser;
import gov.nist.javax.sip.parser.InReplyToParser;
import gov.nist.javax.sip.parser.MaxForwardsParser;
import gov.nist.javax.sip.parser.MimeVersionParser;
import gov.nist.javax.sip.parser.MinExpiresParser;
import gov.nist.javax.sip.parser.OrganizationParser;
import gov.nist.javax.sip.parser.PriorityParser;
import gov.nist.javax.sip.parser.ProxyAuthenticateParser;
import gov.nist.javax.sip.parser.ProxyAuthorizationParser;
import gov.nist.javax.sip.parser.ProxyRequireParser;
import gov.nist.javax.sip.parser.RAckParser;
import gov.nist.javax.sip.parser.RSeqParser;
import gov.nist.javax.sip.parser.ReasonParser;
import gov.nist.javax.sip.parser.RecordRouteParser;
import gov.nist.javax.sip.parser.ReferToParser;
import gov.nist.javax.sip.parser.ReplyToParser;
import gov.nist.javax.sip.parser.RequireParser;
import gov.nist.javax.sip.parser.RetryAfterParser;
import gov.nist.javax.sip.parser.RouteParser;
import gov.nist.javax.sip.parser.SIPETagParser;
import gov.nist.javax.sip.parser.SIPIfMatchParser;
import gov.nist.javax.sip.parser.ServerParser;
import gov.nist.javax.sip.parser.SubjectParser;
import gov.nist.javax.sip.parser.SubscriptionStateParser;
import gov.nist.javax.sip.parser.SupportedParser;
import gov.nist.javax.sip.parser.TimeStampParser;
import gov.nist.javax.sip.parser.ToParser;
import gov.nist.javax.sip.parser.UnsupportedParser;
import gov.nist.javax.sip.parser.UserAgentParser;
import gov.nist.javax.sip.parser.WWWAuthenticateParser;
import gov.nist.javax.sip.parser.WarningParser;
import gov.nist.javax.sip.parser.extensions.JoinParser;
import gov.nist.javax.sip.parser.extensions.MinSEParser;
import gov.nist.javax.sip.parser.extensions.ReferencesParser;
import gov.nist.javax.sip.parser.extensions.ReferredByParser;
import gov.nist.javax.sip.parser.extensions.ReplacesParser;
import gov.nist.javax.sip.parser.extensions.SessionExpiresParser;
import gov.nist.javax.sip.parser.ims.PAccessNetworkInfoParser;
import gov.nist.javax.sip.parser.ims.PAssertedIdentityParser;
import gov.nist.javax.sip.parser.ims.PAssertedServiceParser;
import gov.nist.javax.sip.parser.ims.PAssociatedURIParser;
import gov.nist.javax.sip.parser.ims.PCalledPartyIDParser;
import gov.nist.javax.sip.parser.ims.PChargingFunctionAddressesParser;
import gov.nist.javax.sip.parser.ims.PChargingVectorParser;
import gov.nist.javax.sip.parser.ims.PMediaAuthorizationParser;
import gov.nist.javax.sip.parser.ims.PPreferredIdentityParser;
import gov.nist.javax.sip.parser.ims.PPreferredServiceParser;
import gov.nist.javax.sip.parser.ims.PProfileKeyParser;
import gov.nist.javax.sip.parser.ims.PServedUserParser;
import gov.nist.javax.sip.parser.ims.PUserDatabaseParser;
import gov.nist.javax.sip.parser.ims.PVisitedNetworkIDParser;
import gov.nist.javax.sip.parser.ims.PathParser;
import gov.nist.javax.sip.parser.ims.PrivacyParser;
import gov.nist.javax.sip.parser.ims.SecurityClientParser;
import gov.nist.javax.sip.parser.ims.SecurityServerParser;
import gov.nist.javax.sip.parser.ims.SecurityVerifyParser;
import gov.nist.javax.sip.parser.ims.ServiceRouteParser;
import io.sipserver.proxy.sip.PlainHeaderParsers.PlainHeaderParser;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.sip.header.AcceptEncodingHeader;
import javax.sip.header.AcceptHeader;
import javax.sip.header.AcceptLanguageHeader;
import javax.sip.header.AlertInfoHeader;
import javax.sip.header.AllowEventsHeader;
import javax.sip.header.AllowHeader;
import javax.sip.header.AuthenticationInfoHeader;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.CallInfoHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentDispositionHeader;
import javax.sip.header.ContentEncodingHeader;
import javax.sip.header.ContentLanguageHeader;
import javax.sip.header.ContentLengthHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.DateHeader;
import javax.sip.header.ErrorInfoHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.InReplyToHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.MimeVersionHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.OrganizationHeader;
import javax.sip.header.PriorityHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ProxyRequireHeader;
import javax.sip.header.RAckHeader;
import javax.sip.header.RSeqHeader;
import javax.sip.header.ReasonHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.header.ReplyToHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.SIPETagHeader;
import javax.sip.header.SIPIfMatchHeader;
import javax.sip.header.ServerHeader;
import javax.sip.header.SubjectHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.header.TimeStampHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UnsupportedHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.header.WarningHeader;

/**
 * JAIN-SIP 1.3.0-91's header name to parser table ({@code ParserFactory}'s static initialiser, entry for entry, with
 * {@link CommentFreeViaParser} for Via), as constructor references instead of classes created by reflection, and
 * looked up on the name's characters in the header line, ignoring ASCII case, instead of on a lower-cased copy.
 * Only ASCII names can be looked up; the caller leaves the others to the RI. The simplest and the address headers
 * also have a parser for their plain form ({@link PlainHeaderParsers}, {@link PlainAddressParsers}), and so have the
 * credentials headers ({@link CredentialsHeaders}).
 */
final class HeaderParserTable {

    /** The parsers of one header: the RI's (a constructor taking the line) and, for a few, a plain-form one. */
    record Parsers(Function<String, HeaderParser> full, PlainHeaderParser plain) {
    }

    /** Lower-case names as the RI's table keys them; "b" maps to the Refer-To parser there too. */
    static final Map<String, Parsers> PARSERS = parsers();

    private static final HeaderParserTable INSTANCE = new HeaderParserTable(PARSERS);

    private final String[] names;
    private final Parsers[] parsers;
    private final int mask;

    private HeaderParserTable(Map<String, Parsers> table) {
        int capacity = Integer.highestOneBit(table.size() * 4);
        this.names = new String[capacity];
        this.parsers = new Parsers[capacity];
        this.mask = capacity - 1;
        table.forEach((name, entry) -> {
            int slot = hash(name, 0, name.length()) & mask;
            while (names[slot] != null) {
                slot = (slot + 1) & mask;
            }
            names[slot] = name;
            parsers[slot] = entry;
        });
    }

    /**
     * The parsers for the header whose name is {@code line[from, to)} (ASCII, any case), or null when JAIN-SIP has
     * no parser of its own for that name.
     */
    static Parsers find(String line, int from, int to) {
        return INSTANCE.lookUp(line, from, to);
    }

    private Parsers lookUp(String line, int from, int to) {
        int length = to - from;
        for (int slot = hash(line, from, to) & mask; names[slot] != null; slot = (slot + 1) & mask) {
            String name = names[slot];
            if (name.length() == length && equalsIgnoringAsciiCase(line, from, name)) {
                return parsers[slot];
            }
        }
        return null;
    }

    private static boolean equalsIgnoringAsciiCase(String line, int from, String lowerCaseName) {
        for (int i = 0; i < lowerCaseName.length(); i++) {
            if (lowerCase(line.charAt(from + i)) != lowerCaseName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + lowerCase(s.charAt(i));
        }
        return h ^ (h >>> 16);
    }

    private static char lowerCase(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static Map<String, Parsers> parsers() {
        Map<String, Parsers> t = new LinkedHashMap<>();
        put(t, ReplyToHeader.NAME, ReplyToParser::new);
        put(t, InReplyToHeader.NAME, InReplyToParser::new);
        put(t, AcceptEncodingHeader.NAME, AcceptEncodingParser::new);
        put(t, AcceptLanguageHeader.NAME, AcceptLanguageParser::new);
        put(t, "t", ToParser::new, PlainAddressParsers::to);
        put(t, ToHeader.NAME, ToParser::new, PlainAddressParsers::to);
        put(t, FromHeader.NAME, FromParser::new, PlainAddressParsers::from);
        put(t, "f", FromParser::new, PlainAddressParsers::from);
        put(t, CSeqHeader.NAME, CSeqParser::new, PlainHeaderParsers::cSeq);
        put(t, ViaHeader.NAME, CommentFreeViaParser::new, PlainAddressParsers::via);
        put(t, "v", CommentFreeViaParser::new, PlainAddressParsers::via);
        put(t, ContactHeader.NAME, ContactParser::new, PlainAddressParsers::contact);
        put(t, "m", ContactParser::new, PlainAddressParsers::contact);
        put(t, ContentTypeHeader.NAME, ContentTypeParser::new, PlainHeaderParsers::contentType);
        put(t, "c", ContentTypeParser::new, PlainHeaderParsers::contentType);
        put(t, ContentLengthHeader.NAME, ContentLengthParser::new, PlainHeaderParsers::contentLength);
        put(t, "l", ContentLengthParser::new, PlainHeaderParsers::contentLength);
        put(t, AuthorizationHeader.NAME, AuthorizationParser::new, CredentialsHeaders::authorization);
        put(t, WWWAuthenticateHeader.NAME, WWWAuthenticateParser::new);
        put(t, CallIdHeader.NAME, CallIDParser::new, PlainHeaderParsers::callId);
        put(t, "i", CallIDParser::new, PlainHeaderParsers::callId);
        put(t, RouteHeader.NAME, RouteParser::new, PlainAddressParsers::route);
        put(t, RecordRouteHeader.NAME, RecordRouteParser::new, PlainAddressParsers::recordRoute);
        put(t, DateHeader.NAME, DateParser::new);
        put(t, ProxyAuthorizationHeader.NAME, ProxyAuthorizationParser::new, CredentialsHeaders::proxyAuthorization);
        put(t, ProxyAuthenticateHeader.NAME, ProxyAuthenticateParser::new);
        put(t, RetryAfterHeader.NAME, RetryAfterParser::new);
        put(t, RequireHeader.NAME, RequireParser::new);
        put(t, ProxyRequireHeader.NAME, ProxyRequireParser::new);
        put(t, TimeStampHeader.NAME, TimeStampParser::new);
        put(t, UnsupportedHeader.NAME, UnsupportedParser::new);
        put(t, UserAgentHeader.NAME, UserAgentParser::new);
        put(t, SupportedHeader.NAME, SupportedParser::new);
        put(t, "k", SupportedParser::new);
        put(t, ServerHeader.NAME, ServerParser::new);
        put(t, SubjectHeader.NAME, SubjectParser::new);
        put(t, "s", SubjectParser::new);
        put(t, SubscriptionStateHeader.NAME, SubscriptionStateParser::new);
        put(t, MaxForwardsHeader.NAME, MaxForwardsParser::new, PlainHeaderParsers::maxForwards);
        put(t, MimeVersionHeader.NAME, MimeVersionParser::new);
        put(t, MinExpiresHeader.NAME, MinExpiresParser::new);
        put(t, OrganizationHeader.NAME, OrganizationParser::new);
        put(t, PriorityHeader.NAME, PriorityParser::new);
        put(t, RAckHeader.NAME, RAckParser::new);
        put(t, RSeqHeader.NAME, RSeqParser::new);
        put(t, ReasonHeader.NAME, ReasonParser::new);
        put(t, WarningHeader.NAME, WarningParser::new);
        put(t, ExpiresHeader.NAME, ExpiresParser::new, PlainHeaderParsers::expires);
        put(t, EventHeader.NAME, EventParser::new);
        put(t, "o", EventParser::new);
        put(t, ErrorInfoHeader.NAME, ErrorInfoParser::new);
        put(t, ContentLanguageHeader.NAME, ContentLanguageParser::new);
        put(t, ContentEncodingHeader.NAME, ContentEncodingParser::new);
        put(t, "e", ContentEncodingParser::new);
        put(t, ContentDispositionHeader.NAME, ContentDispositionParser::new);
        put(t, CallInfoHeader.NAME, CallInfoParser::new);
        put(t, AuthenticationInfoHeader.NAME, AuthenticationInfoParser::new);
        put(t, AllowHeader.NAME, AllowParser::new);
        put(t, AllowEventsHeader.NAME, AllowEventsParser::new);
        put(t, "u", AllowEventsParser::new);
        put(t, AlertInfoHeader.NAME, AlertInfoParser::new);
        put(t, AcceptHeader.NAME, AcceptParser::new);
        put(t, ReferToHeader.NAME, ReferToParser::new);
        put(t, "r", ReferToParser::new);
        put(t, SIPETagHeader.NAME, SIPETagParser::new);
        put(t, SIPIfMatchHeader.NAME, SIPIfMatchParser::new);
        put(t, PAccessNetworkInfoHeader.NAME, PAccessNetworkInfoParser::new);
        put(t, PAssertedIdentityHeader.NAME, PAssertedIdentityParser::new);
        put(t, PPreferredIdentityHeader.NAME, PPreferredIdentityParser::new);
        put(t, PChargingVectorHeader.NAME, PChargingVectorParser::new);
        put(t, PChargingFunctionAddressesHeader.NAME, PChargingFunctionAddressesParser::new);
        put(t, PMediaAuthorizationHeader.NAME, PMediaAuthorizationParser::new);
        put(t, PathHeader.NAME, PathParser::new);
        put(t, PrivacyHeader.NAME, PrivacyParser::new);
        put(t, ServiceRouteHeader.NAME, ServiceRouteParser::new);
        put(t, PVisitedNetworkIDHeader.NAME, PVisitedNetworkIDParser::new);
        put(t, PServedUserHeader.NAME, PServedUserParser::new);
        put(t, PPreferredServiceHeader.NAME, PPreferredServiceParser::new);
        put(t, PAssertedServiceHeader.NAME, PAssertedServiceParser::new);
        put(t, PProfileKeyHeader.NAME, PProfileKeyParser::new);
        put(t, PUserDatabaseHeader.NAME, PUserDatabaseParser::new);
        put(t, PAssociatedURIHeader.NAME, PAssociatedURIParser::new);
        put(t, PCalledPartyIDHeader.NAME, PCalledPartyIDParser::new);
        put(t, SecurityServerHeader.NAME, SecurityServerParser::new);
        put(t, SecurityClientHeader.NAME, SecurityClientParser::new);
        put(t, SecurityVerifyHeader.NAME, SecurityVerifyParser::new);
        put(t, ReferredBy.NAME, ReferredByParser::new);
        put(t, "b", ReferToParser::new);
        put(t, SessionExpires.NAME, SessionExpiresParser::new);
        put(t, "x", SessionExpiresParser::new);
        put(t, MinSE.NAME, MinSEParser::new);
        put(t, Replaces.NAME, ReplacesParser::new);
        put(t, Join.NAME, JoinParser::new);
        put(t, References.NAME, ReferencesParser::new);
        return Map.copyOf(t);
    }

    private static void put(Map<String, Parsers> table, String name, Function<String, HeaderParser> constructor) {
        put(table, name, constructor, null);
    }

    private static void put(Map<String, Parsers> table, String name, Function<String, HeaderParser> constructor,
            PlainHeaderParser plain) {
        table.put(name.toLowerCase(Locale.ROOT), new Parsers(constructor, plain));
    }
}
