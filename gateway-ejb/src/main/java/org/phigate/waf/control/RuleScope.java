// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

/**
 * Which rules apply to the value in hand: free text takes only the rules marked for it, and a route's exclusions
 * switch rules off for some of its parameters or JSON paths.
 */
@FunctionalInterface
public interface RuleScope {

    boolean allows(WafRule rule);

    RuleScope ALL = rule -> true;
    RuleScope FREE_TEXT = WafRule::freeText;
}
