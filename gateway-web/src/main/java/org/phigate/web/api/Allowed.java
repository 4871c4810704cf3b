// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The realm roles of which a caller must hold one to use an admin API resource method (checked by {@link AdminAuthentication}). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Allowed {
    String[] value();
}
