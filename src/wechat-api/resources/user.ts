/** Follower information: `user/info` (§8). Since 2021-12-27 WeChat returns no nickname, avatar, sex or location. */
import { APIResource, type CallOptions } from '../resource.js';

export interface UserInfo {
  /** 0 = not following: the other fields are then mostly absent. */
  subscribe: 0 | 1;
  openid: string;
  subscribe_time?: number;
  unionid?: string;
  remark?: string;
  groupid?: number;
  tagid_list?: number[];
  /** e.g. ADD_SCENE_QR_CODE, ADD_SCENE_SEARCH … */
  subscribe_scene?: string;
  qr_scene?: number;
  qr_scene_str?: string;
  language?: string;
}

export class User extends APIResource {
  /** A follower's profile by openid (40003 when the openid is not this account's). */
  async info(openid: string, options?: CallOptions & { lang?: 'zh_CN' | 'zh_TW' | 'en' }): Promise<UserInfo> {
    const { lang, ...call } = options ?? {};
    return this.client.getJson<UserInfo>('/cgi-bin/user/info', { openid, lang: lang ?? 'zh_CN' }, call);
  }
}
