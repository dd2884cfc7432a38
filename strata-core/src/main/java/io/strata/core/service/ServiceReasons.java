package io.strata.core.service;

/** Reason codes of {@link BuildService} refusals (docs/reasons.md). */
public final class ServiceReasons {
    /** No build with this id (REST: 404). */
    public static final String BUILD_NOT_FOUND = "BUILD_NOT_FOUND";
    /** Text that is not a build id (REST: 400). */
    public static final String BUILD_ID_INVALID = "BUILD_ID_INVALID";
    /** The build is another user's and the caller is no admin (REST: 403). */
    public static final String NOT_YOUR_BUILD = "NOT_YOUR_BUILD";
    /** Cancel of a build that has finished already (REST: 409). */
    public static final String BUILD_NOT_RUNNING = "BUILD_NOT_RUNNING";
    /** A page size outside 1..{@link BuildListQuery#MAX_LIMIT} (REST: 400). */
    public static final String PAGE_LIMIT_INVALID = "PAGE_LIMIT_INVALID";
    /** A paging cursor the service did not hand out (REST: 400). */
    public static final String PAGE_CURSOR_INVALID = "PAGE_CURSOR_INVALID";
    /** The configured engine cannot run builds here (REST: 503). */
    public static final String ENGINE_NOT_AVAILABLE = "ENGINE_NOT_AVAILABLE";

    private ServiceReasons() {}
}
