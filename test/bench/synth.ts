/**
 * A realistic synthetic watchlist for the scale benchmark, deterministic for a seed.
 *
 * Name sources: Thai given and family names in Thai script from ../shared/data/names (Korkeat
 * Wannapat's corpus, CC BY-SA 4.0), romanized for the alias by RTGS; and the lists below,
 * assembled from published frequency lists: the most common Chinese surnames (Hundred Family
 * Surnames ranked by the 2020 Chinese census) and given-name characters; Vietnamese surnames and
 * middle names (Vietnamese surname frequency studies); Khmer, Lao and Myanmar names common in
 * Cambodian, Lao and Myanmar registries and press; Western given names (US Social Security
 * Administration popular names) and surnames (US Census 2010 surname list). Every generated
 * person is made up: names are drawn independently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rtgs } from '../../electron/core/matching/thai';
import { rng } from './names';

const CN_SURNAMES: [string, string][] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'], ['赵', 'zhao'],
  ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'], ['胡', 'hu'], ['郭', 'guo'], ['何', 'he'],
  ['高', 'gao'], ['林', 'lin'], ['罗', 'luo'], ['郑', 'zheng'], ['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'], ['唐', 'tang'],
  ['许', 'xu'], ['韩', 'han'], ['冯', 'feng'], ['邓', 'deng'], ['曹', 'cao'], ['彭', 'peng'], ['曾', 'zeng'], ['肖', 'xiao'],
  ['田', 'tian'], ['董', 'dong'], ['袁', 'yuan'], ['潘', 'pan'], ['于', 'yu'], ['蒋', 'jiang'], ['蔡', 'cai'], ['余', 'yu'],
  ['杜', 'du'], ['叶', 'ye'], ['程', 'cheng'], ['苏', 'su'], ['魏', 'wei'], ['吕', 'lu'], ['丁', 'ding'], ['任', 'ren'], ['沈', 'shen'],
];
const CN_GIVEN: [string, string][] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'],
  ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'], ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['秀', 'xiu'],
  ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'], ['桂', 'gui'], ['华', 'hua'], ['建', 'jian'], ['国', 'guo'], ['志', 'zhi'], ['文', 'wen'],
  ['海', 'hai'], ['玉', 'yu'], ['兰', 'lan'], ['红', 'hong'], ['英', 'ying'], ['春', 'chun'], ['金', 'jin'], ['宇', 'yu'], ['浩', 'hao'],
  ['鹏', 'peng'], ['辉', 'hui'], ['斌', 'bin'], ['龙', 'long'], ['飞', 'fei'], ['晨', 'chen'], ['雪', 'xue'], ['梅', 'mei'], ['琳', 'lin'],
];
const VN_SURNAMES = ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Huynh', 'Phan', 'Vu', 'Vo', 'Dang', 'Bui', 'Do', 'Ho', 'Ngo', 'Duong', 'Ly'];
const VN_MIDDLE = ['Van', 'Thi', 'Huu', 'Duc', 'Minh', 'Ngoc', 'Quang', 'Thanh', 'Xuan', 'Kim', 'Hong', 'Anh'];
const VN_GIVEN = ['Anh', 'Binh', 'Cuong', 'Dung', 'Giang', 'Hai', 'Hanh', 'Hieu', 'Hoa', 'Hung', 'Huong', 'Khanh', 'Lan', 'Linh', 'Long',
  'Mai', 'Nam', 'Nga', 'Phong', 'Phuong', 'Quan', 'Son', 'Tam', 'Thao', 'Thang', 'Trang', 'Trung', 'Tuan', 'Tuyet', 'Vinh', 'Yen'];
const KH_NAMES: [string, string][] = [
  ['សុខ', 'Sok'], ['ចាន់', 'Chan'], ['ដារា', 'Dara'], ['សុភា', 'Sophea'], ['វណ្ណៈ', 'Vannak'], ['ស្រី', 'Srey'], ['គឹម', 'Kim'],
  ['ហេង', 'Heng'], ['ជា', 'Chea'], ['លី', 'Ly'], ['មាស', 'Meas'], ['កែវ', 'Keo'], ['ពេជ្រ', 'Pich'], ['ឫទ្ធិ', 'Rith'], ['សំ', 'Sam'],
  ['ណារិន', 'Narin'], ['បូរ៉ា', 'Bora'], ['ធីតា', 'Thida'], ['រតនា', 'Ratana'], ['វិចិត្រ', 'Vichet'],
];
const LA_NAMES = ['Phommavong', 'Sisavath', 'Keomany', 'Vongsa', 'Souvanna', 'Sengdara', 'Inthavong', 'Phetsamone', 'Bounmy', 'Khamphoui',
  'Somphone', 'Vilayvanh', 'Chanthavong', 'Sayavong', 'Thongsavath', 'Manivong', 'Soukhaseum', 'Phonsavanh', 'Outhay', 'Noy'];
const MM_NAMES = ['Aung', 'Kyaw', 'Min', 'Zaw', 'Htun', 'Win', 'Myint', 'Thant', 'Soe', 'Naing', 'Hla', 'Tin', 'Maung', 'Thein', 'Nyunt',
  'Khin', 'Su', 'Thida', 'Moe', 'Yadanar', 'Phyo', 'Thura', 'Nay', 'Lwin', 'Oo'];
const WEST_GIVEN = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Christopher', 'Nancy', 'Daniel', 'Lisa',
  'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily', 'Andrew',
  'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Deborah', 'Edward', 'Stephanie'];
const WEST_SURNAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell',
  'Carter', 'Roberts', 'Mueller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Ivanov', 'Petrov'];

export interface SynthPerson {
  id: string;
  names: string[];
  dateOfBirth: string;
  sex: 'M' | 'F';
  nationality: string;
  document: string;
  /** How the primary name is built: given + surname tokens, for making look-alike queries. */
  given: string;
  surname: string;
  culture: string;
}

function thaiNames(): { given: string[]; family: string[] } {
  const dir = resolve(import.meta.dirname, '../../../shared/data/names');
  if (!existsSync(dir)) throw new Error(`${dir} is absent: the scale benchmark needs the Thai name corpus`);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
  return { given: [...read('male_names_th.txt'), ...read('female_names_th.txt')], family: read('family_names_th.txt') };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Generates `n` made-up persons; the same seed gives the same list. */
export function* synthesize(n: number, seed = 1): Generator<SynthPerson> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const th = thaiNames();
  for (let i = 0; i < n; i++) {
    const c = r();
    const year = 1950 + Math.floor(r() * 55);
    const dob = `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const sex = r() < 0.5 ? 'M' : 'F';
    const doc = `${String.fromCharCode(65 + Math.floor(r() * 26))}${String(Math.floor(r() * 1e7)).padStart(7, '0')}`;
    let p: Omit<SynthPerson, 'id' | 'dateOfBirth' | 'sex' | 'document'>;
    if (c < 0.4) {
      const g = pick(th.given);
      const f = pick(th.family);
      p = { names: [`${g} ${f}`, `${cap(rtgs(g))} ${cap(rtgs(f))}`], given: `${cap(rtgs(g))}`, surname: cap(rtgs(f)), nationality: 'THA', culture: 'thai' };
    } else if (c < 0.55) {
      const s = pick(CN_SURNAMES);
      const g1 = pick(CN_GIVEN);
      const g2 = r() < 0.6 ? pick(CN_GIVEN) : null;
      const given = g1[1] + (g2 ? g2[1] : '');
      p = { names: [s[0] + g1[0] + (g2 ? g2[0] : ''), `${cap(s[1])} ${cap(given)}`], given: cap(given), surname: cap(s[1]), nationality: 'CHN', culture: 'chinese' };
    } else if (c < 0.65) {
      const s = pick(VN_SURNAMES);
      const m = pick(VN_MIDDLE);
      const g = pick(VN_GIVEN);
      p = { names: [`${s} ${m} ${g}`], given: `${m} ${g}`, surname: s, nationality: 'VNM', culture: 'vietnamese' };
    } else if (c < 0.75) {
      const a = pick(KH_NAMES);
      const b = pick(KH_NAMES);
      p = { names: [`${a[1]} ${b[1]}`, `${a[0]} ${b[0]}`], given: b[1], surname: a[1], nationality: 'KHM', culture: 'khmer' };
    } else if (c < 0.8) {
      const g = pick(LA_NAMES);
      const f = pick(LA_NAMES);
      p = { names: [`${g} ${f}`], given: g, surname: f, nationality: 'LAO', culture: 'lao' };
    } else if (c < 0.85) {
      const parts = [pick(MM_NAMES), pick(MM_NAMES), ...(r() < 0.5 ? [pick(MM_NAMES)] : [])];
      p = { names: [parts.join(' ')], given: parts.slice(0, -1).join(' '), surname: parts[parts.length - 1]!, nationality: 'MMR', culture: 'myanmar' };
    } else {
      const g = pick(WEST_GIVEN);
      const m = r() < 0.3 ? ` ${pick(WEST_GIVEN)}` : '';
      const f = pick(WEST_SURNAMES);
      p = { names: [`${g}${m} ${f}`], given: g + m, surname: f, nationality: pick(['USA', 'GBR', 'DEU', 'RUS', 'AUS', 'FRA']), culture: 'western' };
    }
    if (r() < 0.2) p.names.push(`${p.surname} ${p.given}`.toUpperCase()); // an alias in another order
    yield { id: `S${i}`, dateOfBirth: dob, sex, document: doc, ...p };
  }
}
