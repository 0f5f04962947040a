/**
 * Name pools for the synthetic watchlist (synth.ts). Thai names come from ../shared/data/names;
 * the others are written out here, from memory (no network when this was written, so ranks are
 * approximate and lists are partial), following these published lists:
 *
 *  - English-speaking: given names from the US Social Security Administration's "Top names of
 *    the last 100 years" (top 100 boys' and girls'); surnames from the US Census Bureau's 2010
 *    surname list (about the top 250, East and South Asian surnames left out since those
 *    cultures have their own pools).
 *  - Spanish: INE (Spain) "Apellidos y nombres más frecuentes", with common Mexican and
 *    Colombian surnames; German: the frequency lists of German surnames from telephone-directory
 *    counts (as tabulated on Wikipedia "Liste der häufigsten Familiennamen in Deutschland") and
 *    the Gesellschaft für deutsche Sprache's given-name lists; French: INSEE's birth-register
 *    surname counts (1891-1990) and "Fichier des prénoms"; Russian: the frequency list of
 *    Russian surnames (A. F. Zhuravlev, 2005) and common given names, in the transliteration
 *    used on the EU, UK and OFAC sanctions lists, with patronymics and feminine surname forms
 *    (-ova, -eva, -ina); Ukrainian -enko/-uk surnames are left unchanged.
 *  - Arabic-origin names as they appear, transliterated, on the UN, EU and OFAC lists: common
 *    given names (Mohammed, Ahmed, Abdullah, ...), family names and nisbas (Al-...). An Arabic
 *    name often carries the father's name as a middle name.
 *  - Chinese: the commonest surnames following the Ministry of Public Security's 2020 ranking
 *    (its 2021 name report, 100 commonest surnames), then further surnames of the Hundred Family
 *    Surnames that are still common, and the five commonest compound surnames; given-name
 *    characters common in the same reports' commonest names (伟, 芳, 娜, 秀英, 敏, 静, 子涵, ...),
 *    in Hanyu Pinyin without tones as in PRC passports (which write ü as "yu": 吕 Lyu).
 *    Polyphonic characters whose name reading is uncertain (单, 翟, 解, 仇, 区, 查, 盖, 朴, 乐, 长,
 *    朝, 重, 行) are left out.
 *  - Vietnamese: the surname frequency list (Lê Trung Hoa, "Họ và tên người Việt Nam", as
 *    summarized in Wikipedia "Vietnamese name": Nguyễn, Trần, Lê, Phạm, ...), the common middle
 *    names (Văn, Thị, Hữu, Đức, ...) and given names, without diacritics as in the passport's
 *    machine-readable zone.
 *  - Khmer: names in Khmer script with the romanization of Cambodian passports and press: common
 *    Khmer given names, and the names of Cambodian public figures as published by the Royal
 *    Government and the National Assembly (ស ខេង Sar Kheng, ទៀ បាញ់ Tea Banh, ប្រាក់ សុខុន
 *    Prak Sokhonn, ចម ប្រសិទ្ធ Cham Prasidh, ស៊ុន ចាន់ថុល Sun Chanthol, ...).
 *  - Lao: family and given names as romanized in Lao passports and press, with Lao script where
 *    the spelling is certain (among them the published names of Lao leaders: ທອງລຸນ ສີສຸລິດ
 *    Thongloun Sisoulith, ບຸນຍັງ ວໍລະຈິດ Bounnhang Vorachith, ຈູມມະລີ ໄຊຍະສອນ Choummaly
 *    Sayasone, ສອນໄຊ ສີພັນດອນ Sonexay Siphandone); the others are romanized only.
 *  - Myanmar: name syllables as romanized in Myanmar passports and press (Myanmar names have no
 *    surname), with Myanmar script (Unicode, not Zawgyi) for the syllables whose spelling is
 *    certain.
 *
 * Every generated person is a made-up combination of these names.
 */

/** Splits a space-separated list. */
const w = (s: string): string[] => s.split(/\s+/).filter(Boolean);
/** Keeps the first of each duplicate (by key). */
function uniq<T>(xs: readonly T[], key: (x: T) => string = String): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(key(x)) && !!seen.add(key(x)));
}

// ---------------------------------------------------------------------------------------------
// Chinese: [Han, pinyin]

export const CN_SURNAMES: readonly [string, string][] = uniq(
  pairs(
    '',
    // the commonest, after the MPS 2020 ranking
    '王 wang 李 li 张 zhang 刘 liu 陈 chen 杨 yang 黄 huang 赵 zhao 吴 wu 周 zhou 徐 xu 孙 sun 马 ma 朱 zhu 胡 hu ' +
    '郭 guo 何 he 林 lin 高 gao 罗 luo 郑 zheng 梁 liang 谢 xie 宋 song 唐 tang 许 xu 韩 han 邓 deng 冯 feng 曹 cao ' +
    '彭 peng 曾 zeng 肖 xiao 田 tian 董 dong 潘 pan 袁 yuan 蔡 cai 蒋 jiang 余 yu 于 yu 杜 du 叶 ye 程 cheng 魏 wei ' +
    '苏 su 吕 lyu 丁 ding 任 ren 卢 lu 姚 yao 沈 shen 钟 zhong 姜 jiang 崔 cui 谭 tan 陆 lu 范 fan 汪 wang 廖 liao ' +
    '石 shi 金 jin 韦 wei 贾 jia 夏 xia 付 fu 方 fang 邹 zou 熊 xiong 白 bai 孟 meng 秦 qin 邱 qiu 侯 hou 江 jiang ' +
    '尹 yin 薛 xue 闫 yan 段 duan 雷 lei 龙 long 黎 li 史 shi 陶 tao 贺 he 毛 mao 郝 hao 顾 gu 龚 gong 邵 shao ' +
    '万 wan 覃 qin 武 wu 钱 qian 戴 dai 严 yan 莫 mo 孔 kong 向 xiang 常 chang ' +
    // further common surnames of the Hundred Family Surnames, and compound surnames
    '汤 tang 康 kang 易 yi 乔 qiao 赖 lai 文 wen 施 shi 洪 hong 辛 xin 柳 liu 庞 pang 樊 fan 殷 yin 牛 niu 甘 gan ' +
    '安 an 章 zhang 鲁 lu 葛 ge 伍 wu 申 shen 尤 you 毕 bi 聂 nie 焦 jiao 柴 chai 季 ji 岳 yue 齐 qi 祝 zhu 倪 ni ' +
    '涂 tu 关 guan 左 zuo 曲 qu 俞 yu 卓 zhuo 骆 luo 梅 mei 詹 zhan 包 bao 谷 gu 饶 rao 邢 xing 温 wen 纪 ji ' +
    '耿 geng 屈 qu 阮 ruan 凌 ling 霍 huo 虞 yu 房 fang 蓝 lan 管 guan 滕 teng 宁 ning 苗 miao 鲍 bao 符 fu ' +
    '成 cheng 傅 fu 舒 shu 裴 pei 童 tong 穆 mu 车 che 费 fei 卞 bian 冉 ran 喻 yu 路 lu 席 xi 颜 yan 臧 zang ' +
    '娄 lou 窦 dou 戚 qi 景 jing 项 xiang 甄 zhen 祁 qi 连 lian 刁 diao 柯 ke 卫 wei 翁 weng 艾 ai 游 you 蒲 pu ' +
    '邝 kuang 冷 leng 华 hua 欧阳 ouyang 司马 sima 诸葛 zhuge 上官 shangguan 司徒 situ',
  ).map((x): [string, string] => [x[0], x[1]]),
  (x) => x[0],
);

/** Given-name characters: [Han, pinyin, m | f | n (either)]. */
const CN_GIVEN_TAGGED: readonly [string, string, 'm' | 'f' | 'n'][] = uniq(
  [
    ...pairs('m', '伟 wei 强 qiang 磊 lei 军 jun 勇 yong 杰 jie 涛 tao 超 chao 刚 gang 建 jian 国 guo 志 zhi 浩 hao 鹏 peng 辉 hui ' +
      '斌 bin 龙 long 飞 fei 健 jian 峰 feng 波 bo 宏 hong 亮 liang 成 cheng 东 dong 光 guang 德 de 荣 rong 福 fu ' +
      '生 sheng 祥 xiang 忠 zhong 毅 yi 凯 kai 帅 shuai 彬 bin 翔 xiang 鸿 hong 泽 ze 坤 kun 岩 yan 威 wei 松 song ' +
      '森 sen 铭 ming 诚 cheng 昊 hao 航 hang 哲 zhe 豪 hao 兵 bing 山 shan 锋 feng 胜 sheng 力 li 兴 xing 良 liang ' +
      '仁 ren 义 yi 振 zhen 卫 wei 伦 lun 昌 chang 虎 hu 旭 xu 骏 jun 驰 chi 彪 biao 继 ji 宗 zong 耀 yao 俊 jun ' +
      '博 bo 轩 xuan 睿 rui 宸 chen 逸 yi 鑫 xin 立 li 民 min 利 li 学 xue 永 yong 庆 qing 天 tian 传 chuan 启 qi ' +
      '鹤 he 勤 qin 琛 chen 江 jiang'),
    ...pairs('f', '芳 fang 娜 na 静 jing 丽 li 艳 yan 娟 juan 秀 xiu 霞 xia 桂 gui 玉 yu 兰 lan 红 hong 英 ying 雪 xue ' +
      '梅 mei 琳 lin 婷 ting 怡 yi 萱 xuan 燕 yan 玲 ling 凤 feng 萍 ping 莉 li 颖 ying 倩 qian 洁 jie 慧 hui 琴 qin ' +
      '珍 zhen 婉 wan 瑶 yao 琪 qi 璐 lu 蕾 lei 薇 wei 晶 jing 莹 ying 欢 huan 悦 yue 婧 jing 雯 wen 璇 xuan 露 lu ' +
      '蓉 rong 菲 fei 妮 ni 媛 yuan 岚 lan 彤 tong 萌 meng 蕊 rui 茜 qian 嫣 yan 佩 pei 爱 ai 珠 zhu 翠 cui 娥 e ' +
      '琼 qiong 淑 shu 惠 hui 珊 shan 荷 he 菊 ju 晴 qing 钰 yu 瑜 yu 婕 jie 琬 wan 诗 shi 雅 ya 梦 meng 艺 yi ' +
      '依 yi 伊 yi 晗 han 曦 xi 楠 nan 月 yue 秋 qiu 宝 bao'),
    ...pairs('n', '敏 min 明 ming 平 ping 华 hua 文 wen 海 hai 春 chun 金 jin 宇 yu 晨 chen 欣 xin 佳 jia 子 zi 涵 han ' +
      '梓 zi 思 si 雨 yu 嘉 jia 晓 xiao 小 xiao 云 yun 宁 ning 林 lin 新 xin 清 qing 瑞 rui 安 an 阳 yang 然 ran ' +
      '青 qing 冬 dong 辰 chen 喜 xi 家 jia 和 he 顺 shun 贤 xian 凡 fan 帆 fan 霖 lin 昕 xin 桐 tong 若 ruo 彦 yan ' +
      '舒 shu 一 yi 可 ke 心 xin 洋 yang'),
  ],
  (x) => x[0],
);
function pairs<T extends string>(tag: T, s: string): [string, string, T][] {
  const a = w(s);
  const out: [string, string, T][] = [];
  for (let i = 0; i < a.length; i += 2) out.push([a[i]!, a[i + 1]!, tag]);
  return out;
}
export const CN_GIVEN_M: readonly [string, string][] = CN_GIVEN_TAGGED.filter((x) => x[2] !== 'f').map((x) => [x[0], x[1]]);
export const CN_GIVEN_F: readonly [string, string][] = CN_GIVEN_TAGGED.filter((x) => x[2] !== 'm').map((x) => [x[0], x[1]]);
export const CN_GIVEN_COUNT = CN_GIVEN_TAGGED.length;

// ---------------------------------------------------------------------------------------------
// Vietnamese (no diacritics, as in the passport's machine-readable zone)

export const VN_SURNAMES = uniq(w(
  'Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh Lam Mai Trinh Dao Cao Luong ' +
  'Luu Ta Ha Quach Thai Chau Phung Ton Doan La Kieu Trieu Vuong Thach Diep Tong Lai Hua',
));
const VN_MIDDLE_N = w('Minh Ngoc Thanh Xuan Anh Gia Bao Khanh Nhat Hai Thien');
export const VN_MIDDLE_M = uniq([...w('Van Huu Duc Dinh Cong Quoc Manh Tien Viet Quang Trung Tuan Hoang Chi Ba'), ...VN_MIDDLE_N]);
export const VN_MIDDLE_F = uniq([...w('Thi Thu Thuy Phuong My Bich Diem Hoai Kim Hong Tuyet'), ...VN_MIDDLE_N]);
export const VN_GIVEN_M = uniq(w(
  'An Anh Bach Bao Binh Canh Chien Chinh Cong Cuong Dai Danh Dat Dien Dong Duc Dung Duy Giang Hai Hao Hau Hien Hiep ' +
  'Hieu Hoan Hoang Hop Huan Hung Huy Khai Khang Khanh Khiem Khoa Khuong Kien Lam Lap Loc Loi Long Luan Luc Manh ' +
  'Minh Nam Nghia Nhan Nhat Ninh Phat Phi Phong Phu Phuc Phuoc Quan Quang Quoc Quy Quyet Sang Sinh Son Sy Tai Tam ' +
  'Tan Thach Thai Thang Thanh Thien Thinh Tho Thong Thuan Thuc Tien Tiep Toan Tri Trong Trung Truong Tu Tuan Tung ' +
  'Tuong Uy Viet Vinh Vu Vuong Xuan',
));
export const VN_GIVEN_F = uniq(w(
  'Anh Bich Cam Chau Chi Dao Diem Diep Dieu Dung Duyen Gam Giang Ha Hang Hanh Hau Hien Hoa Hong Hue Huong Huyen ' +
  'Khanh Kieu Kim Lan Le Lien Linh Loan Luyen Ly Mai Mien My Nga Ngan Ngoc Nguyet Nhan Nhi Nhu Nhung Oanh Phuong ' +
  'Quyen Quynh Sen Suong Tam Thao Thoa Thom Thu Thuong Thuy Tien Trang Tram Trinh Tuyen Tuyet Uyen Van Vi Vy Xuan Yen',
));

// ---------------------------------------------------------------------------------------------
// Khmer: [Khmer script, romanization]. Khmer family names are drawn from the same stock as
// given names (traditionally the father's or grandfather's given name), so one pool serves both.

export const KH_NAMES: readonly [string, string][] = uniq<[string, string]>([
  // mostly family names
  ['សុខ', 'Sok'], ['ចាន់', 'Chan'], ['ហេង', 'Heng'], ['ជា', 'Chea'], ['លី', 'Ly'], ['មាស', 'Meas'], ['កែវ', 'Keo'],
  ['គឹម', 'Kim'], ['សំ', 'Sam'], ['ហ៊ុន', 'Hun'], ['សៀង', 'Seang'], ['ឈឹម', 'Chhim'], ['ឡុង', 'Long'], ['ទេព', 'Tep'],
  ['ម៉ៅ', 'Mao'], ['ញឹក', 'Nhek'], ['ពៅ', 'Pov'], ['ឈួន', 'Chhuon'], ['ឃាង', 'Kheang'], ['ខៀវ', 'Khieu'], ['នួន', 'Nuon'],
  ['អ៊ុំ', 'Um'], ['អ៊ុក', 'Ouk'], ['អ៊ឹង', 'Ung'], ['ទូច', 'Touch'], ['សេង', 'Seng'], ['សាន', 'San'], ['ប៊ុន', 'Bun'],
  ['ប៉ែន', 'Pen'], ['តាំង', 'Taing'], ['អៀង', 'Ieng'], ['ពេញ', 'Penh'], ['ប្រាក់', 'Prak'], ['ស', 'Sar'], ['ខេង', 'Kheng'],
  ['ទៀ', 'Tea'], ['ឯក', 'Ek'], ['សួន', 'Suon'], ['ហួត', 'Huot'], ['គង់', 'Kong'], ['យឹម', 'Yim'], ['ងួន', 'Nguon'],
  ['ជុំ', 'Chum'], ['រស់', 'Ros'], ['អ៊ិម', 'Im'], ['ស្វាយ', 'Svay'], ['វ៉ាន់', 'Van'], ['ជាម', 'Cheam'], ['យៀប', 'Yeap'],
  ['សាយ', 'Say'], ['ឈុំ', 'Chhum'], ['ស៊ីម', 'Sim'], ['កឹម', 'Kem'], ['អាន', 'An'], ['ចម', 'Cham'], ['ស៊ុន', 'Sun'],
  ['ហោ', 'Hor'], ['ម៉ែន', 'Men'], ['ឈាង', 'Chheang'], ['វុន', 'Vun'], ['ស៊ុយ', 'Suy'], ['សែម', 'Sem'], ['វេង', 'Veng'],
  ['គាត', 'Keat'], ['ឈន់', 'Chhon'], ['អ៊ិត', 'Ith'], ['នេត', 'Neth'], ['ពេជ្រ', 'Pich'],
  // mostly given names
  ['ដារា', 'Dara'], ['សុភា', 'Sophea'], ['វណ្ណៈ', 'Vannak'], ['ស្រី', 'Srey'], ['ឫទ្ធិ', 'Rith'], ['ណារិន', 'Narin'],
  ['បូរ៉ា', 'Bora'], ['ធីតា', 'Thida'], ['រតនា', 'Ratana'], ['វិចិត្រ', 'Vichet'], ['សុខា', 'Sokha'], ['វិបុល', 'Vibol'],
  ['សុវណ្ណ', 'Sovann'], ['វណ្ណា', 'Vanna'], ['សុផល', 'Sophal'], ['សុភាព', 'Sopheap'], ['ពិសិដ្ឋ', 'Piseth'],
  ['សុធា', 'Sothea'], ['វាសនា', 'Veasna'], ['ចាន់ថា', 'Chantha'], ['សុខុន', 'Sokhonn'], ['បញ្ញា', 'Panha'],
  ['បុប្ផា', 'Bopha'], ['ស្រីមុំ', 'Sreymom'], ['ចរិយា', 'Chariya'], ['ធារី', 'Theary'], ['នារី', 'Neary'],
  ['ម៉ាលី', 'Maly'], ['ស្រីពៅ', 'Sreypov'], ['ចិន្តា', 'Chenda'], ['កញ្ញា', 'Kanha'], ['សុជាតា', 'Socheata'],
  ['មករា', 'Makara'], ['រស្មី', 'Reaksmey'], ['សម្បត្តិ', 'Sambath'], ['ចំរើន', 'Chamroeun'], ['វុទ្ធី', 'Vuthy'],
  ['បូរី', 'Borey'], ['ប៊ុនធឿន', 'Bunthoeun'], ['សារឿន', 'Saroeun'], ['សំណាង', 'Samnang'], ['ពិសី', 'Pisey'],
  ['វិសាល', 'Visal'], ['វីរៈ', 'Vireak'], ['មុនី', 'Mony'], ['កុសល', 'Kosal'], ['តុលា', 'Tola'], ['ផល្លា', 'Phalla'],
  ['ផល្លី', 'Phally'], ['សេរី', 'Serey'], ['សីហា', 'Seyha'], ['គន្ធា', 'Kunthea'], ['ពន្លក', 'Ponlok'],
  ['ពន្លឺ', 'Ponleu'], ['រក្សា', 'Reaksa'], ['សុម៉ាលី', 'Somaly'], ['ឧត្តម', 'Oudom'], ['សិលា', 'Seila'],
  ['លក្ខិណា', 'Leakhena'], ['ទេវី', 'Tevy'], ['ស្រីពេជ្រ', 'Sreypich'], ['រតនៈ', 'Rathanak'], ['វឌ្ឍនៈ', 'Vathanak'],
  ['កល្យាណ', 'Kalyan'], ['ចំណាន', 'Chamnan'], ['វណ្ណី', 'Vanny'], ['មង្គល', 'Mongkol'], ['សុជាតិ', 'Socheat'],
  ['ចាន់ថុល', 'Chanthol'], ['សុផារ៉ា', 'Sophara'], ['ឆៃលី', 'Chhayly'], ['ប៊ុនហេង', 'Bunheng'], ['ប៊ុនឆៃ', 'Bunchhay'],
  ['សំហេង', 'Samheng'], ['សាវឿន', 'Savoeun'], ['សាខុន', 'Sakhon'], ['ណាំហុង', 'Namhong'], ['ម៉ាណែត', 'Manet'],
  ['សំរិន', 'Samrin'], ['ប្រសិទ្ធ', 'Prasidh'], ['ដាវី', 'Davy'], ['ចាន់ធូ', 'Chanthou'],
], (x) => x[1]);

// ---------------------------------------------------------------------------------------------
// Lao: [romanization, Lao script or null where the spelling is not certain]

type Named = readonly [string, string | null];
const la = (roman: string, script?: string): Named => [roman, script ?? null];

export const LA_FAMILY: readonly Named[] = uniq<Named>([
  la('Phommavong', 'ພົມມະວົງ'), la('Sisavath', 'ສີສະຫວາດ'), la('Keomany', 'ແກ້ວມະນີ'), la('Vongsa', 'ວົງສາ'),
  la('Inthavong', 'ອິນທະວົງ'), la('Chanthavong', 'ຈັນທະວົງ'), la('Sayavong', 'ໄຊຍະວົງ'), la('Thongsavath', 'ທອງສະຫວາດ'),
  la('Manivong', 'ມະນີວົງ'), la('Phanthavong', 'ພັນທະວົງ'), la('Thammavong', 'ທຳມະວົງ'), la('Vongsavath', 'ວົງສະຫວາດ'),
  la('Khamvongsa', 'ຄຳວົງສາ'), la('Keovongsa', 'ແກ້ວວົງສາ'), la('Sivongsa', 'ສີວົງສາ'), la('Sisoulith', 'ສີສຸລິດ'),
  la('Vorachith', 'ວໍລະຈິດ'), la('Sayasone', 'ໄຊຍະສອນ'), la('Siphandone', 'ສີພັນດອນ'), la('Phomvihane', 'ພົມວິຫານ'),
  la('Vongvichit', 'ວົງວິຈິດ'), la('Chanthala', 'ຈັນທະລາ'), la('Douangmala', 'ດວງມາລາ'),
  ...w(
    'Souvanna Sengdara Phetsamone Soukhaseum Vongphachanh Sisouphanh Bounyavong Sengsouvanh Luangrath Rattanavong ' +
    'Saysana Souksavanh Souliyavong Southammavong Syhalath Vilaysack Xaysomphou Inthasone Khounsavath Latsavong ' +
    'Malavong Nanthavong Phengsavanh Phimmasone Sananikone Sinthavong Sipaseuth Somsanith Souvannavong Thepphavong ' +
    'Vannavong Keobounphanh Sengsouk Sayarath Kommadam Douangchanh Vongkhamsao Khammanivong Sengmany Vongdara ' +
    'Phommachanh Chanthavixay Keosavang Souvanlasy Thongsouk Sihavong Vilaythong Vongsouthi Chanthaphone ' +
    'Phetsavong Vannasy Thepvongsa Bouphavanh Phommasack Keophilavanh Vongphakdy Sengkeo Inthirath Soulivong ' +
    'Vongxay Sysouphanh Outhavong Phimmachak Thammavongsa Sengthong Inthalath Pathammavong Ratsavong Sitthivong ' +
    'Khamsouvanh Vongsouvanh Phetmixay Sisomphou',
  ).map((x) => la(x)),
], (x) => x[0]);

export const LA_GIVEN: readonly Named[] = uniq<Named>([
  la('Bounmy', 'ບຸນມີ'), la('Somphone', 'ສົມພອນ'), la('Vilayvanh', 'ວິໄລວັນ'), la('Noy', 'ນ້ອຍ'), la('Bounkham', 'ບຸນຄຳ'),
  la('Bouasone', 'ບົວສອນ'), la('Bouakham', 'ບົວຄຳ'), la('Khamsing', 'ຄຳສິງ'), la('Khamsouk', 'ຄຳສຸກ'),
  la('Khampheng', 'ຄຳເພັງ'), la('Somsak', 'ສົມສັກ'), la('Somchith', 'ສົມຈິດ'), la('Somsy', 'ສົມສີ'),
  la('Thongloun', 'ທອງລຸນ'), la('Bounnhang', 'ບຸນຍັງ'), la('Choummaly', 'ຈູມມະລີ'), la('Sonexay', 'ສອນໄຊ'),
  la('Kaysone', 'ໄກສອນ'), la('Phoumi', 'ພູມີ'), la('Viengkham', 'ວຽງຄຳ'), la('Viengxay', 'ວຽງໄຊ'),
  la('Sengphet', 'ແສງເພັດ'), la('Thongdy', 'ທອງດີ'), la('Thongvanh', 'ທອງວັນ'), la('Thongchanh', 'ທອງຈັນ'),
  la('Sisomphone', 'ສີສົມພອນ'), la('Phonexay', 'ພອນໄຊ'), la('Somxay', 'ສົມໄຊ'), la('Khamxay', 'ຄຳໄຊ'),
  la('Douangdy', 'ດວງດີ'), la('Khamla', 'ຄຳລາ'), la('Khamphet', 'ຄຳເພັດ'), la('Khamkeo', 'ຄຳແກ້ວ'),
  la('Khamsone', 'ຄຳສອນ'), la('Khamphanh', 'ຄຳພັນ'), la('Somchanh', 'ສົມຈັນ'), la('Somphet', 'ສົມເພັດ'),
  la('Vanhxay', 'ວັນໄຊ'), la('Vanthong', 'ວັນທອງ'), la('Vilay', 'ວິໄລ'), la('Maly', 'ມາລີ'), la('Bouaphanh', 'ບົວພັນ'),
  la('Chanpheng', 'ຈັນເພັງ'), la('Sengchanh', 'ແສງຈັນ'), la('Sengaloun', 'ແສງອາລຸນ'), la('Mixay', 'ມີໄຊ'),
  la('Sisouk', 'ສີສຸກ'), la('Latsamy', 'ລັດສະໝີ'), la('Phouvong', 'ພູວົງ'), la('Bounthavy', 'ບຸນທະວີ'),
  la('Bounpheng', 'ບຸນເພັງ'), la('Bounchanh', 'ບຸນຈັນ'), la('Bounsong', 'ບຸນສົງ'), la('Sombath', 'ສົມບັດ'),
  la('Bounma', 'ບຸນມາ'), la('Khammy', 'ຄຳມີ'), la('Khamphone', 'ຄຳພອນ'), la('Khamvanh', 'ຄຳວັນ'), la('Somboun', 'ສົມບຸນ'),
  la('Somdy', 'ສົມດີ'), la('Thongkham', 'ທອງຄຳ'), la('Thongsy', 'ທອງສີ'), la('Thongphet', 'ທອງເພັດ'),
  la('Viengthong', 'ວຽງທອງ'), la('Sengkham', 'ແສງຄຳ'), la('Sengdao', 'ແສງດາວ'), la('Phonephet', 'ພອນເພັດ'),
  ...w(
    'Khamphoui Outhay Bounthanh Bounleuth Khamtay Khanthaly Kongsy Malaythong Manivanh Oudone Phaivanh Phetsamay ' +
    'Phonsay Sengdeuane Somsanouk Soulivanh Soulideth Souphaphone Souvanny Vannaly Viengsavanh Amphone Anousone ' +
    'Anoulak Bouavanh Chanthavy Khonesavanh Lamphone Malivanh Nouphanh Onkeo Paseuth Phetsada Phonsavanh ' +
    'Saysamone Soukanh Souksamay Soukthavone Syvanh Thipphavanh Vongdeuane Xaysavang Phoutthasone Vanhsy ' +
    'Sounthone Bouasy Daovone Inpeng Chansamone Bounleua Bounphone Chanthone Khamhou Lattana Manola Sengsavanh ' +
    'Somlith Somvang Soukvilay Vannasone Sisavanh',
  ).map((x) => la(x)),
], (x) => x[0]);

// ---------------------------------------------------------------------------------------------
// Myanmar: [romanization, Myanmar script or null]

export const MM_NAMES: readonly Named[] = uniq<Named>([
  la('Aung', 'အောင်'), la('Kyaw', 'ကျော်'), la('Min', 'မင်း'), la('Zaw', 'ဇော်'), la('Htun', 'ထွန်း'), la('Win', 'ဝင်း'),
  la('Myint', 'မြင့်'), la('Soe', 'စိုး'), la('Naing', 'နိုင်'), la('Hla', 'လှ'), la('Tin', 'တင်'), la('Maung', 'မောင်'),
  la('Thein', 'သိန်း'), la('Nyunt', 'ညွန့်'), la('Khin', 'ခင်'), la('Su', 'စု'), la('Moe', 'မိုး'), la('Phyo', 'ဖြိုး'),
  la('Nay', 'နေ'), la('Lwin', 'လွင်'), la('Oo', 'ဦး'), la('Htet', 'ထက်'), la('Hein', 'ဟိန်း'), la('Kyi', 'ကြည်'),
  la('Myo', 'မျိုး'), la('Thet', 'သက်'), la('Zin', 'ဇင်'), la('Mar', 'မာ'), la('Aye', 'အေး'), la('Nwe', 'နွယ်'),
  la('Hnin', 'နှင်း'), la('Wai', 'ဝေ'), la('Chit', 'ချစ်'), la('Cho', 'ချို'), la('Mya', 'မြ'), la('San', 'စန်း'),
  la('Phyu', 'ဖြူ'), la('Sein', 'စိန်'), la('Shwe', 'ရွှေ'), la('Ye', 'ရဲ'), la('Thiha', 'သီဟ'), la('Kaung', 'ကောင်း'),
  la('Sithu', 'စည်သူ'), la('Pyae', 'ပြည့်'), la('Lin', 'လင်း'), la('Thant', 'သန့်'), la('Thura', 'သူရ'),
  la('Yadanar', 'ရတနာ'), la('Thida', 'သီတာ'), la('Khaing', 'ခိုင်'), la('Ngwe', 'ငွေ'), la('Htoo', 'ထူး'), la('Nyi', 'ညီ'),
  la('Myat', 'မြတ်'), la('Ko', 'ကို'), la('Hlaing', 'လှိုင်'), la('Tint', 'တင့်'), la('Khant', 'ခန့်'), la('Han', 'ဟန်'),
  la('Than', 'သန်း'), la('Saw', 'စော'), la('Nilar', 'နီလာ'), la('Mon', 'မွန်'), la('Htwe', 'ထွေး'), la('Zeyar', 'ဇေယျာ'),
  la('Zarni', 'ဇာနည်'), la('Thuzar', 'သူဇာ'), la('Thazin', 'သဇင်'), la('Sandar', 'စန္ဒာ'), la('Nandar', 'နန္ဒာ'),
  la('Paing', 'ပိုင်'), la('Phone', 'ဖုန်း'), la('Yan', 'ရန်'), la('Naung', 'နောင်'), la('Htike', 'ထိုက်'), la('Htay', 'ဌေး'),
  la('Ohn', 'အုန်း'), la('Yamin', 'ယမင်း'), la('Hsu', 'ဆု'), la('Chaw', 'ချော'), la('Pwint', 'ပွင့်'), la('Wah', 'ဝါ'),
  la('Lay', 'လေး'), la('Nu', 'နု'), la('Ni', 'နီ'), la('Thiri', 'သီရိ'), la('Swe', 'ဆွေ'), la('Yin', 'ယဉ်'), la('Nyo', 'ညို'),
  la('Kay', 'ကေ'), la('Yee', 'ရည်'), la('Thandar', 'သန္တာ'), la('Wint', 'ဝင့်'), la('Okkar', 'ဥက္ကာ'), la('Arkar', 'အာကာ'),
  la('Htin', 'ထင်'), la('Nyan', 'ဉာဏ်'), la('Thaung', 'သောင်း'), la('Sai', 'စိုင်း'),
  ...w(
    'May Ei Sabai Thinzar Yoon Zun Zon Hsan Nway Hmwe Htut Linn Bhone Pyi Set Theint Thit Moh Nge Shein Phoo ' +
    'Sanda Nanda Wutyi Khine Zayar Pyone Tun Thaw Thwin Kyal Tha Bo Thar Lat',
  ).map((x) => la(x)),
], (x) => x[0]);

// ---------------------------------------------------------------------------------------------
// Western and Arabic-origin names, by origin, each with its nationalities.

export interface Origin {
  origin: string;
  /** Share of the "western" persons. */
  weight: number;
  nationalities: readonly string[];
  male: readonly string[];
  female: readonly string[];
  surnames: readonly string[];
}

export const ORIGINS: readonly Origin[] = [
  {
    origin: 'english',
    weight: 0.35,
    nationalities: ['USA', 'GBR', 'AUS', 'CAN', 'IRL', 'NZL'],
    male: uniq(w(
      'James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark ' +
      'Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary ' +
      'Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick ' +
      'Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah ' +
      'Jeremy Christian Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan ' +
      'Billy Joe Bruce Gabriel Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell ' +
      'Bobby Mason Philip Louis',
    )),
    female: uniq(w(
      'Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret ' +
      'Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca Sharon Laura ' +
      'Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine Helen Debra ' +
      'Rachel Carolyn Janet Maria Catherine Heather Diane Olivia Julie Joyce Victoria Ruth Virginia Lauren Kelly ' +
      'Christina Joan Evelyn Judith Andrea Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara Janice ' +
      'Ann Kathryn Abigail Sophia Frances Jean Alice Judy Isabella Julia Grace Amber Denise Danielle Marilyn ' +
      'Beverly Charlotte Natalie Theresa Diana Brittany Doris Kayla Alexis Lori Marie',
    )),
    surnames: uniq(w(
      'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson ' +
      'Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis ' +
      'Robinson Walker Young Allen King Wright Scott Torres Hill Flores Green Adams Nelson Baker Hall Rivera ' +
      'Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart ' +
      'Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Cox ' +
      'Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo ' +
      'Sanders Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson ' +
      'Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin ' +
      'Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Medina Aguilar Stevens Murray Ford Castro Marshall ' +
      'Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Freeman Webb Tucker Guzman ' +
      'Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks ' +
      'Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza ' +
      'Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold ' +
      'Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll ' +
      'Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras ' +
      'Willis Carpenter Lawrence Sandoval',
    )),
  },
  {
    origin: 'spanish',
    weight: 0.2,
    nationalities: ['ESP', 'MEX', 'COL', 'VEN', 'ARG', 'PER'],
    male: uniq(w(
      'Jose Antonio Manuel Francisco Juan Javier Carlos Jesus Miguel Rafael Pedro Angel Alejandro Fernando Luis ' +
      'Sergio Pablo Jorge Alberto Diego Alvaro Raul Enrique Ramon Andres Ricardo Eduardo Roberto Hector Oscar ' +
      'Mario Ruben Ignacio Jaime Victor Emilio Guillermo Gonzalo Joaquin Arturo Julio Ernesto Gustavo Alfonso ' +
      'Rodrigo Marcos Ismael Salvador Adrian Hugo',
    )),
    female: uniq(w(
      'Maria Carmen Josefa Isabel Dolores Pilar Teresa Rosa Cristina Ana Lucia Elena Marta Paula Laura Raquel ' +
      'Beatriz Silvia Patricia Rocio Mercedes Consuelo Guadalupe Alejandra Gabriela Veronica Adriana Claudia ' +
      'Daniela Valentina Camila Sofia Ximena Fernanda Juana Francisca Antonia Margarita Esperanza Luisa Angela ' +
      'Monica Sandra Lorena Marisol Yolanda Inmaculada Nuria Montserrat',
    )),
    surnames: uniq(w(
      'Garcia Rodriguez Gonzalez Fernandez Lopez Martinez Sanchez Perez Gomez Martin Jimenez Ruiz Hernandez Diaz ' +
      'Moreno Munoz Alvarez Romero Alonso Gutierrez Navarro Torres Dominguez Vazquez Ramos Gil Ramirez Serrano ' +
      'Blanco Molina Morales Suarez Ortega Delgado Castro Ortiz Rubio Marin Sanz Nunez Iglesias Medina Garrido ' +
      'Cortes Castillo Santos Lozano Guerrero Cano Prieto Mendez Cruz Calvo Gallego Vidal Leon Marquez Herrera ' +
      'Pena Flores Cabrera Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero ' +
      'Lorenzo Montero Hidalgo Gimenez Ibanez Ferrer Duran Santiago Benitez Mora Vicente Vargas Arias Carmona ' +
      'Crespo Roman Pastor Soto Saez Velasco Moya Soler Parra Esteban Bravo Gallardo Rojas Salazar Mendoza ' +
      'Espinoza Zamora Rios Escobar Guzman Orozco Ochoa Sandoval Cardenas Estrada Zapata Villarreal Quintero ' +
      'Beltran Carrillo Arellano Acosta Aguirre Valencia Contreras Miranda Figueroa Rosales Pacheco Luna Ponce',
    )),
  },
  {
    origin: 'russian',
    weight: 0.15,
    nationalities: ['RUS', 'UKR', 'BLR', 'KAZ'],
    male: uniq(w(
      'Aleksandr Sergey Vladimir Andrey Aleksey Dmitry Mikhail Igor Yury Oleg Nikolay Ivan Viktor Yevgeny Pavel ' +
      'Konstantin Maksim Roman Denis Vadim Anatoly Boris Gennady Vyacheslav Valery Artem Ilya Kirill Stanislav ' +
      'Arkady Grigory Leonid Timur Ruslan Yaroslav Fyodor Pyotr Vasily Georgy Vitaly Anton Egor Semyon Rustam',
    )),
    female: uniq(w(
      'Olga Yelena Tatyana Natalya Irina Svetlana Anna Marina Yekaterina Yuliya Galina Lyudmila Nadezhda ' +
      'Anastasiya Oksana Larisa Valentina Viktoriya Kseniya Darya Polina Alina Vera Lyubov Zoya Nina Raisa Alla ' +
      'Inna Zhanna Kristina Yevgeniya Mariya Alyona Veronika',
    )),
    surnames: uniq(w(
      'Ivanov Smirnov Kuznetsov Popov Vasilyev Petrov Sokolov Mikhaylov Novikov Fedorov Morozov Volkov Alekseyev ' +
      'Lebedev Semenov Yegorov Pavlov Kozlov Stepanov Nikolayev Orlov Andreyev Makarov Nikitin Zakharov Zaytsev ' +
      'Solovyov Borisov Yakovlev Grigoryev Romanov Vorobyov Sergeyev Kuzmin Frolov Aleksandrov Dmitriyev Korolev ' +
      'Gusev Kiselev Ilyin Maksimov Polyakov Sorokin Vinogradov Kovalev Belov Medvedev Antonov Tarasov Zhukov ' +
      'Baranov Filippov Komarov Davydov Belyayev Gerasimov Bogdanov Osipov Sidorov Matveyev Titov Markov Mironov ' +
      'Krylov Kulikov Karpov Vlasov Melnikov Denisov Gavrilov Tikhonov Kazakov Afanasyev Danilov Timofeyev Fomin ' +
      'Chernov Abramov Martynov Yefimov Shcherbakov Nazarov Kalinin Isayev Bykov Maslov Rodionov Konovalov Lazarev ' +
      'Voronin Klimov Filatov Ponomarev Golubev Kudryavtsev Prokhorov Naumov Potapov Zhuravlev Trofimov Leonov ' +
      'Sobolev Kolesnikov Goncharov Kotov Gromov Kirillov Panov Levin Lavrov Zhdanov Shevchenko Kovalenko ' +
      'Bondarenko Tkachenko Kravchenko Boyko Melnyk Lysenko Moroz Kovalchuk Savchenko Rudenko Marchenko Polishchuk',
    )),
  },
  {
    origin: 'arabic',
    weight: 0.12,
    nationalities: ['SYR', 'IRQ', 'SAU', 'YEM', 'EGY', 'LBN', 'JOR', 'LBY', 'SDN', 'ARE'],
    male: uniq(w(
      'Mohammed Muhammad Ahmed Ahmad Ali Hassan Hussein Omar Abdullah Ibrahim Mahmoud Mustafa Khalid Yusuf Youssef ' +
      'Hamza Said Saeed Tariq Karim Rashid Nasser Salim Walid Faisal Jamal Sami Adel Bilal Anwar Ayman Hamid ' +
      'Majid Ismail Yasser Ziad Abdulrahman Abdelaziz Abdulkarim Abdelkader Mansour Fahd Hisham Imad Jaber Marwan ' +
      'Nabil Rami Samir Tarek Ammar Bassam Fadi Ghassan Haitham Hani Issa Kamal Mahdi Mazen Musa Nizar Qasim Riyad ' +
      'Saleh Sultan Talal Wael Yahya Zakaria',
    )),
    female: uniq(w(
      'Fatima Aisha Maryam Zainab Khadija Amina Layla Noor Huda Salma Rania Yasmin Samira Leila Nadia Hana Mona ' +
      'Reem Asma Safiya Zahra Rahma Amal Hanan Iman Lina Dalia Ghada Hiba Jamila Lubna Nawal Rasha Sawsan Suha ' +
      'Wafa Zeinab Bushra Farah Sara',
    )),
    surnames: uniq(w(
      'Al-Ahmad Al-Rashid Al-Masri Al-Sharif Haddad Khoury Nasser Hussein Abbas Aziz Salem Mansour Hamdan Khalil ' +
      'Saleh Qasim Yousef Darwish Hassan Ibrahim Mahmoud Said Al-Tamimi Al-Qahtani Al-Otaibi Al-Ghamdi Al-Zahrani ' +
      'Al-Shehri Al-Harbi Al-Mutairi Al-Dosari Al-Anzi Al-Shammari Al-Hashimi Al-Tikriti Al-Jaburi Al-Obaidi ' +
      'Al-Douri Al-Kubaisi Al-Yemeni Al-Suri Al-Libi Al-Sudani Al-Iraqi Al-Hakim Al-Amin Al-Hassan Al-Khatib ' +
      'Barakat Jaber Farouk Hamad Rahman Karim Sultan Zaki Fawzi Hijazi Shaker Sabbagh Attar Najjar Hakim Hamadi ' +
      'Bakr Othman Suleiman Taha Yassin Zaid Awad Badawi Bitar Ghanem Issa Kassem Maalouf Mousa Nassar Obeid Rizk ' +
      'Saad Sabri Salama Tawfik Wahba Abdallah Ayoub Chehab Daher Fares Habib Harb Kanaan Mikati Sayegh',
    )),
  },
  {
    origin: 'german',
    weight: 0.1,
    nationalities: ['DEU', 'AUT', 'CHE'],
    male: uniq(w(
      'Hans Klaus Wolfgang Dieter Helmut Werner Gerhard Manfred Uwe Stefan Andreas Thomas Matthias Markus Sebastian ' +
      'Lukas Florian Tobias Jan Felix Maximilian Karl Friedrich Heinz Horst Rainer Bernd Dirk Torsten Sven Holger ' +
      'Ralf Michael Peter Martin Frank Christian Alexander Jens Kai Heinrich Otto Walter Kurt Ernst Georg Johannes ' +
      'Leon Paul Jonas Niklas Moritz',
    )),
    female: uniq(w(
      'Ursula Monika Petra Sabine Renate Karin Brigitte Claudia Andrea Susanne Birgit Heike Gabriele Anja Katrin ' +
      'Stefanie Julia Lena Leonie Hannelore Ingrid Gisela Helga Erika Ute Christa Elke Silke Nicole Sandra Anke ' +
      'Martina Angelika Barbara Doris Katharina Laura Sarah Anna Lea Marie Johanna Charlotte Greta Frieda',
    )),
    surnames: uniq(w(
      'Mueller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schaefer Koch Bauer Richter Klein ' +
      'Wolf Schroeder Neumann Schwarz Zimmermann Braun Krueger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause ' +
      'Meier Lehmann Schmid Schulze Maier Koehler Herrmann Koenig Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz ' +
      'Moeller Weiss Jung Hahn Schubert Vogel Friedrich Keller Guenther Frank Berger Winkler Roth Beck Lorenz ' +
      'Baumann Franke Albrecht Schuster Simon Ludwig Boehm Winter Kraus Martin Schumacher Kraemer Vogt Stein Jaeger ' +
      'Otto Sommer Gross Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kuehn Pohl Engel ' +
      'Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer',
    )),
  },
  {
    origin: 'french',
    weight: 0.08,
    nationalities: ['FRA', 'BEL', 'CHE'],
    male: uniq(w(
      'Jean Pierre Michel Philippe Alain Jacques Bernard Francois Christophe Nicolas Patrick Laurent Frederic Olivier ' +
      'Sebastien Julien Guillaume Antoine Mathieu Vincent Thierry Didier Pascal Yves Gilles Herve Benoit Arnaud ' +
      'Cedric Romain Daniel Eric David Stephane Thomas Alexandre Maxime Hugo Louis Lucas Gabriel Jean-Pierre ' +
      'Jean-Luc Jean-Marc Jean-Claude Jean-Paul Marcel Andre Rene Georges Henri Claude',
    )),
    female: uniq(w(
      'Marie Nathalie Isabelle Sylvie Catherine Francoise Martine Christine Monique Valerie Sandrine Sophie ' +
      'Stephanie Celine Aurelie Camille Chantal Nicole Veronique Brigitte Dominique Elodie Manon Claire Helene ' +
      'Juliette Emilie Anne Julie Caroline Virginie Laetitia Patricia Jacqueline Simone Madeleine Louise Chloe ' +
      'Lea Ines Marie-Claire Anne-Marie Marie-France Genevieve Josette',
    )),
    surnames: uniq(w(
      'Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux David ' +
      'Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefevre Faure Andre ' +
      'Mercier Blanc Guerin Boyer Garnier Chevalier Francois Legrand Gauthier Garcia Perrin Robin Clement Morin ' +
      'Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noel Meyer Dufour ' +
      'Meunier Brun Blanchard Giraud Joly Riviere Lucas Brunet Gaillard Barbier Arnaud Martinez Gerard Roche Renard ' +
      'Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe ' +
      'Bourgeois Pierre Benoit Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Dupuy Guillot Hubert Carpentier ' +
      'Dupuis Moulin Deschamps Huet Vasseur Boucher Fleury Royer Jacquet Poirier Marty Aubry Guyot Charpentier Menard',
    )),
  },
];

/**
 * Russian patronymic stems: + "ich" (a son) or + "na" (a daughter), e.g. Sergeyev-ich, Sergeyev-na.
 */
export const RU_PATRONYMIC_STEMS = w(
  'Aleksandrov Sergeyev Vladimirov Andreyev Alekseyev Dmitriyev Mikhaylov Igorev Yuryev Olegov Nikolayev Ivanov ' +
  'Viktorov Yevgenyev Pavlov Konstantinov Borisov Gennadyev Valeryev Anatolyev Leonidov Grigoryev Petrov ' +
  'Vasilyev Fyodorov Vyacheslavov Stanislavov Arkadyev Romanov Maksimov Georgyev Vitalyev Antonov Semyonov',
);
