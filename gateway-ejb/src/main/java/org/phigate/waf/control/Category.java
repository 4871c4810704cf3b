// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.Arrays;

/** What a WAF rule defends against; the slug is the name used in the rules file, the docs and the corpus. */
public enum Category {
    PROTOCOL("protocol"),
    SQL_INJECTION("sql-injection"),
    CROSS_SITE_SCRIPTING("cross-site-scripting"),
    PATH_TRAVERSAL("path-traversal"),
    REMOTE_FILE_INCLUSION("remote-file-inclusion"),
    COMMAND_INJECTION("command-injection"),
    TEMPLATE_INJECTION("template-injection"),
    DESERIALIZATION("deserialization");

    private final String slug;

    Category(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }

    public static Category ofSlug(String slug) {
        return Arrays.stream(values()).filter(c -> c.slug.equals(slug)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown WAF category " + slug));
    }
}
