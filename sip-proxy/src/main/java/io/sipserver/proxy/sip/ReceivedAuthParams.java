package io.sipserver.proxy.sip;

import gov.nist.core.NameValue;
import gov.nist.core.NameValueList;
import gov.nist.core.Separators;
import gov.nist.javax.sip.header.AuthenticationHeader;
import gov.nist.javax.sip.parser.AuthorizationParser;
import java.text.ParseException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of a credentials header parsed by hand ({@link CredentialsHeaders}): their text as received,
 * encoded as it is, and filled in from the RI's own parse of that text the first time anything reads or changes
 * them, so that the RI's getters answer as for a header the RI parsed. The registrar never reads them (it reads
 * {@link ReceivedCredentials}); they exist for the rest of the stack. Once changed, they encode as the RI's do.
 * Not thread-safe, as the RI's headers are not.
 */
final class ReceivedAuthParams extends NameValueList {

    private final String text;
    /** The RI's encoding of the parameters when they were filled in; null until then. */
    private String filledEncoding;

    /** @param text the parameters as received, after the scheme and its space */
    ReceivedAuthParams(String text) {
        this.text = text;
        setSeparator(Separators.COMMA);
    }

    private NameValueList read() {
        if (filledEncoding == null) {
            filledEncoding = "";
            try {
                AuthenticationHeader parsed =
                        (AuthenticationHeader) new AuthorizationParser("Authorization: x " + text + "\n").parse();
                for (NameValue nv : parsed.getParameters().values()) {
                    super.put(nv.getName().toLowerCase(), nv);
                }
                filledEncoding = super.encode(new StringBuilder()).toString();
            } catch (ParseException notReached) {
                // CredentialsHeaders only takes text the RI's parser accepts.
                throw new IllegalStateException("credentials the RI does not parse: " + text, notReached);
            }
        }
        return this;
    }

    /**
     * Changes can come through the NameValue objects the getters hand out, which the list does not see: the
     * parameters are unchanged when they still encode as when they were filled in.
     */
    private boolean unchanged() {
        return filledEncoding == null || filledEncoding.equals(super.encode(new StringBuilder()).toString());
    }

    @Override
    public StringBuilder encode(StringBuilder buffer) {
        return unchanged() ? buffer.append(text) : super.encode(buffer);
    }

    @Override
    public Object clone() {
        return unchanged() ? new ReceivedAuthParams(text) : super.clone();
    }

    @Override
    public boolean equals(Object other) {
        read();
        return other instanceof ReceivedAuthParams p ? super.equals(p.read()) : super.equals(other);
    }

    @Override
    public int hashCode() {
        read();
        return super.hashCode();
    }

    @Override
    public void set(NameValue nv) {
        read();
        super.set(nv);
    }

    @Override
    public void set(String name, Object value) {
        read();
        super.set(name, value);
    }

    @Override
    public Object getValue(String name, boolean stripQuotes) {
        read();
        return super.getValue(name, stripQuotes);
    }

    @Override
    public NameValue getNameValue(String name) {
        read();
        return super.getNameValue(name);
    }

    @Override
    public boolean hasNameValue(String name) {
        read();
        return super.hasNameValue(name);
    }

    @Override
    public boolean delete(String name) {
        read();
        return super.delete(name);
    }

    @Override
    public int size() {
        read();
        return super.size();
    }

    @Override
    public boolean isEmpty() {
        read();
        return super.isEmpty();
    }

    @Override
    public Iterator<NameValue> iterator() {
        read();
        return super.iterator();
    }

    @Override
    public Iterator<String> getNames() {
        read();
        return super.getNames();
    }

    @Override
    public String getParameter(String name, boolean stripQuotes) {
        read();
        return super.getParameter(name, stripQuotes);
    }

    @Override
    public void clear() {
        read();
        super.clear();
    }

    @Override
    public boolean containsKey(Object key) {
        read();
        return super.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        read();
        return super.containsValue(value);
    }

    @Override
    public Set<Map.Entry<String, NameValue>> entrySet() {
        read();
        return super.entrySet();
    }

    @Override
    public NameValue get(Object key) {
        read();
        return super.get(key);
    }

    @Override
    public Set<String> keySet() {
        read();
        return super.keySet();
    }

    @Override
    public NameValue put(String name, NameValue nameValue) {
        read();
        return super.put(name, nameValue);
    }

    @Override
    public void putAll(Map<? extends String, ? extends NameValue> map) {
        read();
        super.putAll(map);
    }

    @Override
    public NameValue remove(Object key) {
        read();
        return super.remove(key);
    }

    @Override
    public Collection<NameValue> values() {
        read();
        return super.values();
    }
}
