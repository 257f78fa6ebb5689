package dev.divergence.registry.maven;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.SourceHints;
import dev.divergence.registry.Registry;
import dev.divergence.registry.RegistryException;
import dev.divergence.registry.RepositoryUrls;
import dev.divergence.source.VersionSpelling;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A Maven repository (Maven Central layout, https://maven.apache.org/repository/layout.html): versions from
 * {@code GROUP/ARTIFACT/maven-metadata.xml}; per version the POM (read for packaging and {@code <scm>}),
 * the jar unless the packaging is {@code pom}, and the {@code -sources.jar} when published; each verified
 * against its {@code .sha1} file on download. XML is parsed with external entities off: answers are untrusted.
 */
public final class MavenRegistry implements Registry {

    static final long MAX_METADATA_BYTES = 16L << 20;
    /** A parent POM is text of a few kilobytes (commons-parent: 60 KB); anything larger is not read. */
    static final long MAX_PARENT_BYTES = 1L << 20;
    /** Coordinates a path of the repository layout may be built from: no separator, no {@code ..}, no expression. */
    private static final java.util.regex.Pattern COORDINATE = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private final String baseUrl;
    private final HttpFetcher http;
    /** Parent POMs fetched so far (coordinates → bytes, empty when absent): a parent serves every version of a module. */
    private final Map<String, Optional<byte[]>> poms = new java.util.concurrent.ConcurrentHashMap<>();

    public MavenRegistry(String baseUrl, HttpFetcher http) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
    }

    /** {@code group/artifact} of a purl name. */
    static String[] coordinates(PackageId pkg) throws RegistryException {
        String[] ga = pkg.name().split("/");
        if (ga.length != 2 || ga[0].isBlank() || ga[1].isBlank()) {
            throw new RegistryException("a Maven purl is pkg:maven/GROUP/ARTIFACT, got " + pkg.purl());
        }
        return ga;
    }

    @Override
    public List<Release> releases(PackageId pkg) throws RegistryException {
        String[] ga = coordinates(pkg);
        String dir = baseUrl + "/" + ga[0].replace('.', '/') + "/" + ga[1] + "/";
        Document meta = xml(fetch(dir + "maven-metadata.xml", pkg, "maven-metadata.xml"), dir + "maven-metadata.xml");
        List<String> versions = new ArrayList<>();
        NodeList vs = meta.getElementsByTagName("version");
        for (int i = 0; i < vs.getLength(); i++) {
            Node parent = vs.item(i).getParentNode();
            if (parent != null && parent.getNodeName().equals("versions")) {
                versions.add(vs.item(i).getTextContent().trim());
            }
        }
        List<Release> out = new ArrayList<>();
        for (String v : versions) {
            out.add(release(pkg, ga, dir, v));
        }
        out.sort(Comparator.comparing(Release::version, VersionSpelling::compare));
        return out;
    }

    private Release release(PackageId pkg, String[] ga, String dir, String version) {
        String base = dir + version + "/" + ga[1] + "-" + version;
        List<Artifact> artifacts = new ArrayList<>();
        artifacts.add(artifact(base + ".pom", ArtifactKind.POM));
        String packaging = "jar";
        List<String> urls = new ArrayList<>();
        Optional<String> scmTag = Optional.empty();
        Optional<String> declared = Optional.empty();
        Optional<java.time.Instant> published = Optional.empty();
        try {
            HttpFetcher.Dated fetched = http.getDated(base + ".pom", "application/xml", MAX_METADATA_BYTES);
            // Maven Central's files never change once deployed: the POM's Last-Modified is when it was published.
            published = fetched.lastModified();
            Document pom = xml(fetched.bytes(), base + ".pom");
            Element project = pom.getDocumentElement();
            packaging = child(project, "packaging").orElse("jar");
            // Only a spelling that differs says something (commons-validator 1.0 was deployed with 1.0-dev).
            declared = child(project, "version")
                    .or(() -> childElement(project, "parent").flatMap(p -> child(p, "version")))
                    .filter(v -> !v.isBlank() && !v.contains("${") && !v.equals(version));
            Optional<Element> scm = childElement(project, "scm");
            if (scm.isPresent()) {
                for (String field : List.of("connection", "developerConnection", "url")) { // clonable forms first
                    child(scm.get(), field).flatMap(RepositoryUrls::normalizeAny).filter(u -> !urls.contains(u))
                            .ifPresent(urls::add);
                }
                scmTag = child(scm.get(), "tag").filter(t -> !t.isBlank() && !t.equals("HEAD"));
            }
        } catch (IOException | RegistryException e) {
            // The POM artifact row will say why it could not be read; the jar is still listed.
        }
        if (!packaging.equals("pom")) {
            artifacts.add(artifact(base + ".jar", ArtifactKind.JAR));
        }
        try {
            if (http.exists(base + "-sources.jar")) {
                artifacts.add(artifact(base + "-sources.jar", ArtifactKind.SOURCES_JAR));
            }
        } catch (HttpFetcher.FetchException e) {
            artifacts.add(artifact(base + "-sources.jar", ArtifactKind.SOURCES_JAR)); // unknown: try, and record why
        }
        return new Release(pkg, version, artifacts, published, false, Optional.empty(),
                new SourceHints(urls, Optional.empty(), Optional.empty(), Optional.empty(), scmTag, declared));
    }

    /**
     * The POM deployed at {@code group:artifact:version} (a parent Maven resolves from the repository), fetched once
     * per registry; empty when a coordinate is no plain name (a range, an expression, a path), the file is absent or
     * larger than {@link #MAX_PARENT_BYTES}. At most 256 distinct POMs are kept.
     */
    Optional<byte[]> pom(String group, String artifact, String version) {
        if (!COORDINATE.matcher(group).matches() || !COORDINATE.matcher(artifact).matches()
                || !COORDINATE.matcher(version).matches() || group.contains("..") || version.contains("..")) {
            return Optional.empty();
        }
        String url = baseUrl + "/" + group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-"
                + version + ".pom";
        Optional<byte[]> cached = poms.get(url);
        if (cached != null) {
            return cached;
        }
        Optional<byte[]> fetched;
        try {
            fetched = Optional.of(http.getBytes(url, "application/xml", MAX_PARENT_BYTES));
        } catch (HttpFetcher.FetchException e) {
            // absent or unreachable: the chain ends there, as for a parent nobody deployed (only "absent" is kept)
            if (e.status() != 404) {
                return Optional.empty();
            }
            fetched = Optional.empty();
        }
        if (poms.size() < 256) {
            poms.put(url, fetched);
        }
        return fetched;
    }

    private static Artifact artifact(String url, ArtifactKind kind) {
        return new Artifact(url.substring(url.lastIndexOf('/') + 1), url, kind, -1, Map.of(), Optional.empty(), false,
                Map.of("sha1", url + ".sha1"));
    }

    private byte[] fetch(String url, PackageId pkg, String what) throws RegistryException {
        try {
            return http.getBytes(url, "application/xml", MAX_METADATA_BYTES);
        } catch (HttpFetcher.FetchException e) {
            throw new RegistryException(e.status() == 404 ? "package not found on Maven: " + pkg.name() + " (" + url + ")"
                    : "Maven " + what + " unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * The document, parsed with no DOCTYPE allowed — except in a Maven 1 {@code project.xml} (a path or URL ending so),
     * which Maven 1 read with dom4j and which declared internal entities ({@code <!ENTITY ouml "&#246;">} in
     * commons-configuration's): there an internal DTD subset is read, while external entities and external DTDs are
     * never loaded and the JDK's secure-processing limits bound entity expansion.
     */
    static Document xml(byte[] bytes, String url) throws RegistryException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            boolean maven1 = url.endsWith("project.xml");
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", !maven1);
            if (maven1) {
                f.setFeature("http://xml.org/sax/features/external-general-entities", false);
                f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
                f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                f.setXIncludeAware(false);
            }
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(maven1); // internal entities only (external ones are off above)
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(bytes));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new RegistryException("malformed XML from " + url + ": " + e.getMessage(), e);
        }
    }

    static Optional<String> child(Element parent, String name) {
        return childElement(parent, name).map(e -> e.getTextContent().trim());
    }

    static Optional<Element> childElement(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNodeName().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
