/** The application name used across the project, in paths and config file names. */
export const NAME = "fabricatio";

/** The name of the original framework's core Python package. */
export const CORE_PACKAGE_NAME = "fabricatio_core";

/** The default configuration file name, looked up in the working directory and the roaming directory. */
export const CONFIG_FILE = "fabricatio.toml";

/** Owner of the original Fabricatio repository. */
export const REPO_OWNER = "Whth";

/** Name of the original Fabricatio repository. */
export const REPO_NAME = NAME;

/** Name of the directory that holds templates, under the roaming directory. */
export const TEMPLATES_DIRNAME = "templates";

/** The name under which the logger is exposed to embedding runtimes. */
export const LOGGER_VARNAME = "logger";

/** The name under which the loaded configuration is exposed to embedding runtimes. */
export const CONFIG_VARNAME = "CONFIG";

/** The key that stores the Python source code path in the original's module metadata. */
export const PY_SOURCE_KEY = "py_source";

/** The name under which the router is exposed to embedding runtimes. */
export const ROUTER_VARNAME = "ROUTER";

/** The name under which the template manager is exposed to embedding runtimes. */
export const TEMPLATE_MANAGER_VARNAME = "TEMPLATE_MANAGER";
