export { PROFILES, PROFILE_IDS, getProfile, type ProfileId, type Profile } from './profiles.data.js';
export { profileRoutes } from './profiles.routes.js';
