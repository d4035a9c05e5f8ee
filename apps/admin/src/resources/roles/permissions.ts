import { PERMISSIONS } from "@laurel/engine";

/** Every permission a role can hold, from the engine: one list for the API and the panel. */
export const PERMISSION_CHOICES = PERMISSIONS.map((id) => ({ id, name: id }));
