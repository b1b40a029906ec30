export {
  PROFILES,
  PROFILE_IDS,
  getProfile,
  findShareType,
  type ProfileId,
  type Profile,
  type RequestWorkflow,
  type ShareType,
} from './profiles.data.js';
export { profileRoutes } from './profiles.routes.js';
