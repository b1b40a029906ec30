export {
  PROFILE_IDS,
  getProfile,
  findShareType,
  type ProfileId,
  type Profile,
  type RequestWorkflow,
} from './profiles.data.js';
export { profileRoutes } from './profiles.routes.js';
